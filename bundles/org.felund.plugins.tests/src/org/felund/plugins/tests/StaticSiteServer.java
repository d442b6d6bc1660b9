package org.felund.plugins.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A small static HTTP/1.1 server on loopback (any free port) for an update site folder: GET and HEAD, 404 for what
 * is missing, one request per connection. It can break the download of chosen files halfway (it announces the full
 * length, sends half and closes), as a network that drops in the middle of an install would.
 */
final class StaticSiteServer implements AutoCloseable {
	private final Path root;
	private final ServerSocket socket;
	private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "static-site");
		t.setDaemon(true);
		return t;
	});
	private final List<String> requests = new CopyOnWriteArrayList<>();
	private volatile Predicate<String> breakHalfway = path -> false;

	StaticSiteServer(Path root) throws IOException {
		this.root = root.toAbsolutePath().normalize();
		this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		workers.execute(this::accept);
	}

	/** The site's URL, with the trailing slash. */
	URI url() {
		return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/site/");
	}

	/** From now on, files whose path matches are cut off halfway. */
	void breakHalfway(Predicate<String> paths) {
		breakHalfway = paths;
	}

	/** The request lines served so far, e.g. {@code GET /site/content.jar}. */
	List<String> requests() {
		return requests;
	}

	private void accept() {
		while (!socket.isClosed()) {
			try {
				Socket client = socket.accept();
				workers.execute(() -> serve(client));
			} catch (IOException e) {
				return;
			}
		}
	}

	private void serve(Socket client) {
		try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
			String requestLine = readLine(in);
			if (requestLine == null) {
				return;
			}
			while (true) {
				String header = readLine(in);
				if (header == null || header.isEmpty()) {
					break;
				}
			}
			String[] parts = requestLine.split(" ");
			if (parts.length < 2) {
				return;
			}
			String method = parts[0];
			String path = URLDecoder.decode(parts[1].replaceFirst("\\?.*$", ""), StandardCharsets.UTF_8);
			requests.add(method + " " + path);
			Path file = path.startsWith("/site/") ? root.resolve(path.substring("/site/".length())).normalize() : null;
			if (file == null || !file.startsWith(root) || !Files.isRegularFile(file)) {
				byte[] body = "not found\n".getBytes(StandardCharsets.US_ASCII);
				out.write(("HTTP/1.1 404 Not Found\r\nContent-Length: " + body.length
						+ "\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				if (!method.equals("HEAD")) {
					out.write(body);
				}
				return;
			}
			byte[] content = Files.readAllBytes(file);
			out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + content.length
					+ "\r\nContent-Type: application/octet-stream\r\nLast-Modified: Thu, 03 Dec 2026 10:00:00 GMT"
					+ "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			if (method.equals("HEAD")) {
				return;
			}
			if (breakHalfway.test(path)) {
				out.write(content, 0, content.length / 2);
				out.flush();
				client.setSoLinger(true, 0); // a reset, not a clean end: the rest never comes
				return;
			}
			out.write(content);
		} catch (IOException e) {
			// the client went away
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) >= 0) {
			if (c == '\n') {
				int end = line.length();
				if (end > 0 && line.charAt(end - 1) == '\r') {
					line.setLength(end - 1);
				}
				return line.toString();
			}
			line.append((char) c);
		}
		return line.isEmpty() ? null : line.toString();
	}

	@Override
	public void close() throws IOException {
		socket.close();
		workers.shutdownNow();
	}
}
