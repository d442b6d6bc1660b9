package org.felund.ui.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * One workbench per node home. The first one listens on a Unix domain socket named after the home (in the
 * user's runtime directory, owner-only); a second launch hands it its command line (a {@code felund1.} code, for
 * instance) and ends before the workbench would fail on the locked workspace.
 */
public final class SingleInstance implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(SingleInstance.class.getName());
	private static final int MAX_REQUEST = 64 * 1024;
	static final String ACK = "raised\n";

	private final Path socket;
	private final ServerSocketChannel server;
	private final Thread acceptor;

	private SingleInstance(Path socket, ServerSocketChannel server, Consumer<List<String>> activate) {
		this.socket = socket;
		this.server = server;
		acceptor = new Thread(() -> accept(activate), "Felund single instance");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** The socket of a home: short enough for the 108-byte limit of socket paths, private to the user. */
	public static Path socketOf(Path home) {
		String runtime = System.getenv("XDG_RUNTIME_DIR");
		Path dir = runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime)) ? Path.of(runtime)
				: Path.of(System.getProperty("java.io.tmpdir"));
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
					.digest(home.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
			return dir.resolve("felund-" + System.getProperty("user.name", "user") + "-"
					+ HexFormat.of().formatHex(digest, 0, 8) + ".sock");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * Hands {@code args} to the workbench already running on {@code home}.
	 *
	 * @return true when one took them (this launch should end), false when none runs
	 */
	public static boolean forward(Path home, List<String> args) {
		Path socket = socketOf(home);
		if (!Files.exists(socket)) {
			return false;
		}
		try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
			channel.write(ByteBuffer.wrap((String.join("\n", args) + "\n").getBytes(StandardCharsets.UTF_8)));
			channel.shutdownOutput();
			byte[] answer = Channels.newInputStream(channel).readNBytes(ACK.length());
			return ACK.equals(new String(answer, StandardCharsets.UTF_8));
		} catch (IOException e) {
			return false; // nobody listens: a socket left by a crashed workbench
		}
	}

	/**
	 * Becomes the workbench of {@code home}: {@code activate} runs (on a background thread) with the arguments of
	 * each later launch.
	 */
	public static SingleInstance listen(Path home, Consumer<List<String>> activate) throws IOException {
		Path socket = socketOf(home);
		Files.deleteIfExists(socket); // forward() found nobody there
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(socket));
		socket.toFile().deleteOnExit(); // also when the workbench ends without its close hook (killed by a test)
		try {
			Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
		} catch (UnsupportedOperationException | IOException e) {
			LOG.log(System.Logger.Level.WARNING, "Cannot make " + socket + " private: " + e.getMessage());
		}
		return new SingleInstance(socket, server, activate);
	}

	private void accept(Consumer<List<String>> activate) {
		while (server.isOpen()) {
			try (SocketChannel channel = server.accept()) {
				InputStream in = Channels.newInputStream(channel);
				String request = new String(in.readNBytes(MAX_REQUEST), StandardCharsets.UTF_8);
				List<String> args = request.lines().filter(l -> !l.isBlank()).toList();
				activate.accept(args);
				channel.write(ByteBuffer.wrap(ACK.getBytes(StandardCharsets.UTF_8)));
			} catch (IOException | RuntimeException e) {
				if (server.isOpen()) {
					LOG.log(System.Logger.Level.WARNING, "A second launch could not be handled: " + e.getMessage());
				}
			}
		}
	}

	@Override
	public void close() {
		try {
			server.close();
			Files.deleteIfExists(socket);
		} catch (IOException e) {
			LOG.log(System.Logger.Level.WARNING, "Cannot remove " + socket + ": " + e.getMessage());
		}
	}
}
