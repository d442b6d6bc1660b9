package org.felund.transport.gossip.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A man in the middle on loopback: accepts gossip connections and forwards them line by line to a target, letting a
 * test rewrite the lines in either direction (e.g. strip the clear-text extension offer).
 */
final class LineProxy implements AutoCloseable {
	private final ServerSocket server;
	private final List<Socket> sockets = new ArrayList<>();

	LineProxy(int targetPort, UnaryOperator<String> toServer, UnaryOperator<String> toClient) throws IOException {
		server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			try {
				while (!server.isClosed()) {
					Socket client = server.accept();
					Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
					synchronized (sockets) {
						sockets.add(client);
						sockets.add(upstream);
					}
					pump(client, upstream, toServer);
					pump(upstream, client, toClient);
				}
			} catch (IOException e) {
				// Closed.
			}
		}, "nodehard-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return server.getLocalPort();
	}

	String addr() {
		return "127.0.0.1:" + port();
	}

	private static void pump(Socket from, Socket to, UnaryOperator<String> rewrite) {
		Thread t = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(new InputStreamReader(from.getInputStream(), StandardCharsets.UTF_8))) {
				OutputStream out = to.getOutputStream();
				for (String line; (line = in.readLine()) != null;) {
					out.write((rewrite.apply(line) + "\n").getBytes(StandardCharsets.UTF_8));
					out.flush();
				}
			} catch (IOException e) {
				// Either side went away.
			} finally {
				close(to);
				close(from);
			}
		}, "nodehard-proxy-pump");
		t.setDaemon(true);
		t.start();
	}

	private static void close(Socket s) {
		try {
			s.close();
		} catch (IOException e) {
			// Already closed.
		}
	}

	@Override
	public void close() throws IOException {
		server.close();
		synchronized (sockets) {
			sockets.forEach(LineProxy::close);
		}
	}
}
