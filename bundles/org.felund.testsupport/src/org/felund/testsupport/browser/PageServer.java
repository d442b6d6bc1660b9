package org.felund.testsupport.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves one HTML page over HTTP/1.0 on 127.0.0.1, whatever path is asked for (the test page's origin); its URL names
 * the page's file. Beside it, {@value #SPEC_SCRIPT} holds what every test page needs from the wire specification
 * (keys, envelopes, signed requests, presence), so that pages share one copy of it.
 */
public final class PageServer implements AutoCloseable {
	/** The shared script's path, which the pages load with {@code <script src="felund-spec.js">}. */
	public static final String SPEC_SCRIPT = "felund-spec.js";

	private final ServerSocket server;
	private final String name;
	private final byte[] page;
	private final byte[] script;
	private final Thread thread;

	public PageServer(Path page) throws IOException {
		this.name = page.getFileName().toString();
		this.page = Files.readAllBytes(page);
		try (InputStream in = PageServer.class.getResourceAsStream(SPEC_SCRIPT)) {
			if (in == null) {
				throw new IOException(SPEC_SCRIPT + " is missing from the test support bundle");
			}
			this.script = in.readAllBytes();
		}
		this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
		this.thread = new Thread(this::serve, "test-page-server");
		thread.setDaemon(true);
		thread.start();
	}

	public String url() {
		return "http://127.0.0.1:" + server.getLocalPort() + "/" + name;
	}

	private void serve() {
		while (!server.isClosed()) {
			try (Socket s = server.accept()) {
				InputStream in = s.getInputStream();
				byte[] buf = new byte[8192];
				int n = 0;
				// Read the request head; the page is the only resource.
				while (n < buf.length) {
					int r = in.read(buf, n, buf.length - n);
					if (r < 0) {
						break;
					}
					n += r;
					if (new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
						break;
					}
				}
				String head = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
				OutputStream out = s.getOutputStream();
				if (head.startsWith("GET /favicon")) {
					out.write("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				} else if (head.startsWith("GET /" + SPEC_SCRIPT + " ")) {
					send(out, "text/javascript", script);
				} else {
					send(out, "text/html", page);
				}
				out.flush();
			} catch (IOException e) {
				// One failed request; keep serving until closed.
			}
		}
	}

	private static void send(OutputStream out, String type, byte[] body) throws IOException {
		out.write(("HTTP/1.0 200 OK\r\nContent-Type: " + type + "; charset=utf-8\r\nContent-Length: " + body.length
				+ "\r\nCache-Control: no-store\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.write(body);
	}

	@Override
	public void close() throws IOException {
		server.close();
	}
}
