package org.felund.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The reference test vectors in {@code ../shared/vectors} beside the repository: from the system property
 * {@code felund.vectors} (the build sets it), else found by walking up from the working directory.
 */
public final class Vectors {
	public static final String DIRECTORY_PROPERTY = "felund.vectors";
	private static final ObjectMapper JSON = new ObjectMapper();

	private Vectors() {
	}

	public static Path dir() {
		String prop = System.getProperty(DIRECTORY_PROPERTY);
		if (prop != null && Files.isDirectory(Path.of(prop))) {
			return Path.of(prop);
		}
		for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
			Path candidate = p.resolve("shared/vectors");
			if (Files.isDirectory(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("Cannot find shared/vectors (set -D" + DIRECTORY_PROPERTY + ")");
	}

	public static JsonNode file(String name) {
		try {
			return JSON.readTree(Files.readAllBytes(dir().resolve(name)));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The {@code vectors} array of a file, each case as a node; a file without cases is an error. */
	public static List<JsonNode> cases(String name) {
		List<JsonNode> out = new ArrayList<>();
		file(name).get("vectors").forEach(out::add);
		if (out.isEmpty()) {
			throw new IllegalStateException(name + " has no vectors");
		}
		return out;
	}
}
