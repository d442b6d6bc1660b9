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
 * the page's file.
 */
public final class PageServer implements AutoCloseable {
	private final ServerSocket server;
	private final String name;
	private final byte[] page;
	private final Thread thread;

	public PageServer(Path page) throws IOException {
		this.name = page.getFileName().toString();
		this.page = Files.readAllBytes(page);
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
				boolean favicon = new String(buf, 0, n, StandardCharsets.ISO_8859_1).startsWith("GET /favicon");
				OutputStream out = s.getOutputStream();
				if (favicon) {
					out.write("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				} else {
					out.write(("HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
							+ page.length + "\r\nCache-Control: no-store\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
					out.write(page);
				}
				out.flush();
			} catch (IOException e) {
				// One failed request; keep serving until closed.
			}
		}
	}

	@Override
	public void close() throws IOException {
		server.close();
	}
}
