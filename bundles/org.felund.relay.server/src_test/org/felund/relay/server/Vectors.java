package org.felund.relay.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The reference vectors in {@code shared/vectors} (system property {@code felund.vectors}, else found upwards). */
final class Vectors {
	private Vectors() {
	}

	static Path dir() {
		String prop = System.getProperty("felund.vectors");
		if (prop != null && Files.isDirectory(Path.of(prop))) {
			return Path.of(prop);
		}
		for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
			Path candidate = p.resolve("shared/vectors");
			if (Files.isDirectory(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("cannot find shared/vectors (set -Dfelund.vectors)");
	}

	static JsonNode file(String name) {
		try {
			return RelayHarness.JSON.readTree(Files.readAllBytes(dir().resolve(name)));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static List<JsonNode> cases(String name) {
		List<JsonNode> out = new ArrayList<>();
		file(name).get("vectors").forEach(out::add);
		if (out.isEmpty()) {
			throw new IllegalStateException(name + " has no vectors");
		}
		return out;
	}
}
