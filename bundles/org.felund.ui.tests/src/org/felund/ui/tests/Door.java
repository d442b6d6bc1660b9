package org.felund.ui.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback address in front of a peer that the test opens and shuts: while shut, each connection is reset at once
 * (the peer is unreachable there); while open, bytes pass both ways to the peer. The address stays the same all the
 * time, so an invite naming it stays good, and no port has to be given back and taken again.
 */
final class Door implements AutoCloseable {
	private final ServerSocket server;
	private final int target;
	private final List<Socket> sockets = new CopyOnWriteArrayList<>();
	private volatile boolean open;

	Door(int targetPort) throws IOException {
		this.target = targetPort;
		server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread accept = new Thread(this::accept, "door-" + server.getLocalPort());
		accept.setDaemon(true);
		accept.start();
	}

	String address() {
		return "127.0.0.1:" + server.getLocalPort();
	}

	void open() {
		open = true;
	}

	private void accept() {
		while (!server.isClosed()) {
			try {
				Socket in = server.accept();
				if (!open) {
					in.setSoLinger(true, 0); // a reset, as from a port where nothing listens
					in.close();
					continue;
				}
				Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
				sockets.add(in);
				sockets.add(out);
				pump(in, out);
				pump(out, in);
			} catch (IOException e) {
				// closed, or the peer refused: the next connection is tried afresh
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread t = new Thread(() -> {
			try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
				i.transferTo(o);
			} catch (IOException e) {
				// one side went away
			} finally {
				try {
					from.close();
					to.close();
				} catch (IOException e) {
					// closing anyway
				}
			}
		}, "door-pump");
		t.setDaemon(true);
		t.start();
	}

	@Override
	public void close() throws IOException {
		server.close();
		for (Socket s : sockets) {
			s.close();
		}
	}
}
