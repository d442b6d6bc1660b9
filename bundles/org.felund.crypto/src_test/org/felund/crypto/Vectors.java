package org.felund.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Finds and reads the reference vectors ({@code shared/vectors/*.json} beside the repository): from the
 * {@code felund.vectors} system property that the build sets, else by walking up from the working directory.
 */
public final class Vectors {
	public static final String DIRECTORY_PROPERTY = "felund.vectors";
	private static final ObjectMapper JSON = new ObjectMapper();

	private Vectors() {
	}

	public static Path directory() {
		String configured = System.getProperty(DIRECTORY_PROPERTY);
		if (configured != null && Files.isDirectory(Path.of(configured))) {
			return Path.of(configured);
		}
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			for (Path candidate : List.of(dir.resolve("shared/vectors"), dir.resolveSibling("shared/vectors"))) {
				if (Files.isRegularFile(candidate.resolve("README.md"))) {
					return candidate;
				}
			}
		}
		throw new IllegalStateException("Test vectors not found: set -D" + DIRECTORY_PROPERTY
				+ " or run inside a checkout that has shared/vectors beside it (configured: " + configured + ")");
	}

	/** The whole file, after checking that {@code vector_count} matches the cases present. */
	public static JsonNode file(String name) {
		Path path = directory().resolve(name);
		JsonNode root;
		try {
			root = JSON.readTree(path.toFile());
		} catch (IOException e) {
			throw new UncheckedIOException("Cannot read vector file " + path, e);
		}
		assertEquals(root.path("vector_count").asInt(-1), root.path("vectors").size(),
				name + ": vector_count disagrees with the vectors present");
		return root;
	}

	public static List<JsonNode> cases(String name) {
		List<JsonNode> cases = new ArrayList<>();
		file(name).path("vectors").forEach(cases::add);
		return cases;
	}

	/** Cases of a file as JUnit arguments named by their {@code desc}, for {@code @MethodSource}. */
	public static Stream<Arguments> arguments(String name) {
		return arguments(name, c -> true);
	}

	public static Stream<Arguments> arguments(String name, Predicate<JsonNode> filter) {
		List<JsonNode> cases = cases(name);
		List<Arguments> out = new ArrayList<>();
		for (int i = 0; i < cases.size(); i++) {
			JsonNode c = cases.get(i);
			if (filter.test(c)) {
				out.add(Arguments.of(Named.of("#" + i + " " + c.path("desc").asText(), c)));
			}
		}
		return out.stream();
	}

	/** A required text field; a typo in a field name fails loudly instead of reading {@code ""}. */
	public static String text(JsonNode c, String field) {
		JsonNode value = c.get(field);
		if (value == null || !value.isTextual()) {
			throw new AssertionError("Vector has no text field '" + field + "': " + c);
		}
		return value.asText();
	}

	public static long number(JsonNode c, String field) {
		JsonNode value = c.get(field);
		if (value == null || !value.canConvertToLong()) {
			throw new AssertionError("Vector has no integer field '" + field + "': " + c);
		}
		return value.asLong();
	}

	public static boolean bool(JsonNode c, String field) {
		JsonNode value = c.get(field);
		if (value == null || !value.isBoolean()) {
			throw new AssertionError("Vector has no boolean field '" + field + "': " + c);
		}
		return value.asBoolean();
	}

	public static byte[] hex(JsonNode c, String field) {
		return HexFormat.of().parseHex(text(c, field));
	}
}
