package org.felund.benchmarks.relay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 keep-alive client over one socket, so that the load generator spends as little of the
 * shared CPU as possible (the JDK client costs several times more per request than the relay itself).
 */
final class RawHttpClient implements AutoCloseable {
	private final Socket socket;
	private final OutputStream out;
	private final InputStream in;
	private byte[] lastBody = new byte[0];

	RawHttpClient(int port) throws IOException {
		socket = new Socket("127.0.0.1", port);
		socket.setTcpNoDelay(true);
		out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
		in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
	}

	/** Sends one request and reads the whole response; returns the status code. */
	int send(String method, String path, byte[] body, String extraHeaderLines) throws IOException {
		StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path)
				.append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
		if (body.length > 0) {
			head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
		}
		head.append(extraHeaderLines).append("\r\n");
		out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
		out.write(body);
		out.flush();
		String status = readLine();
		int code = Integer.parseInt(status.substring(9, 12));
		int length = 0;
		for (String line = readLine(); !line.isEmpty(); line = readLine()) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(15).trim());
			}
		}
		lastBody = in.readNBytes(length);
		return code;
	}

	String lastBody() {
		return new String(lastBody, StandardCharsets.UTF_8);
	}

	private String readLine() throws IOException {
		StringBuilder sb = new StringBuilder(64);
		int c;
		while ((c = in.read()) != '\n') {
			if (c < 0) {
				throw new IOException("connection closed by the relay");
			}
			if (c != '\r') {
				sb.append((char) c);
			}
		}
		return sb.toString();
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}
}
