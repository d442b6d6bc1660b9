package org.felund.node.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What the CLI remembers between runs: the default channel per circle ({@code channel switch}). A small
 * properties file in the node home, written atomically.
 */
final class CliState {
	static final String FILE_NAME = "cli.properties";
	private final Path file;

	CliState(Path file) {
		this.file = file;
	}

	Optional<String> currentChannel(String circleId) {
		return Optional.ofNullable(load().getProperty("channel." + circleId)).filter(s -> !s.isBlank());
	}

	void setCurrentChannel(String circleId, String channelId) {
		Properties p = load();
		p.setProperty("channel." + circleId, channelId);
		save(p);
	}

	private Properties load() {
		Properties p = new Properties();
		if (Files.isRegularFile(file)) {
			try (InputStream in = Files.newInputStream(file)) {
				p.load(in);
			} catch (IOException e) {
				throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
			}
		}
		return p;
	}

	private void save(Properties p) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
			try (OutputStream out = Files.newOutputStream(tmp)) {
				p.store(out, "felund-node CLI state");
			}
			try {
				Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
			}
		} catch (IOException e) {
			throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
		}
	}
}
