package org.felund.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What the plugin service remembers for its profile: the sites the user added and the licenses accepted. A small
 * properties file in the p2 agent's data area (beside the profile), read afresh for every call and written
 * atomically, so that the desktop and {@code felund-node plugins} can share it.
 */
final class PluginSettings {
	private static final String SITES = "sites";
	private static final String LICENSES = "licenses.accepted";
	private final Path file;

	PluginSettings(Path file) {
		this.file = file;
	}

	synchronized List<URI> sites() {
		List<URI> sites = new ArrayList<>();
		for (String s : split(load().getProperty(SITES, ""))) {
			sites.add(URI.create(s));
		}
		return sites;
	}

	synchronized void setSites(List<URI> sites) {
		Properties p = load();
		p.setProperty(SITES, String.join(" ", sites.stream().map(URI::toString).toList()));
		save(p);
	}

	synchronized Set<String> acceptedLicenses() {
		return new LinkedHashSet<>(split(load().getProperty(LICENSES, "")));
	}

	synchronized void acceptLicenses(Set<String> uuids) {
		Properties p = load();
		Set<String> all = new LinkedHashSet<>(split(p.getProperty(LICENSES, "")));
		if (all.addAll(uuids)) {
			p.setProperty(LICENSES, String.join(" ", all));
			save(p);
		}
	}

	private static List<String> split(String value) {
		return value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
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
			Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
			try (OutputStream out = Files.newOutputStream(tmp)) {
				p.store(out, "Felund plugins: sites added by the user, licenses accepted");
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
