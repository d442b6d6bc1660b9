package org.felund.relay.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A directory served read-only next to the API ({@code --site DIR}), typically a p2 update site
 * ({@code content.jar}, {@code artifacts.jar}, {@code p2.index}, {@code plugins/}, {@code features/}).
 *
 * <p>Only regular files inside the directory are served: no listings, no hidden files ({@code .name}), no
 * {@code ..} or {@code .} segments, nothing whose real path (after symbolic links) leaves the directory. A
 * directory is answered with its {@code index.html} when it has one (after a redirect that adds the trailing
 * {@code /}), otherwise 404.
 */
final class StaticSite {
	private static final Map<String, String> TYPES = Map.ofEntries(
			Map.entry("jar", "application/java-archive"),
			Map.entry("xml", "application/xml"),
			Map.entry("xz", "application/x-xz"),
			Map.entry("zip", "application/zip"),
			Map.entry("gz", "application/gzip"),
			Map.entry("index", "text/plain; charset=utf-8"),
			Map.entry("properties", "text/plain; charset=utf-8"),
			Map.entry("txt", "text/plain; charset=utf-8"),
			Map.entry("md", "text/markdown; charset=utf-8"),
			Map.entry("sha256", "text/plain; charset=utf-8"),
			Map.entry("sha512", "text/plain; charset=utf-8"),
			Map.entry("asc", "application/pgp-signature"),
			Map.entry("sig", "application/pgp-signature"),
			Map.entry("html", "text/html; charset=utf-8"),
			Map.entry("htm", "text/html; charset=utf-8"),
			Map.entry("css", "text/css; charset=utf-8"),
			Map.entry("js", "text/javascript; charset=utf-8"),
			Map.entry("json", "application/json"),
			Map.entry("png", "image/png"),
			Map.entry("svg", "image/svg+xml"),
			Map.entry("ico", "image/x-icon"));

	/** What a request path resolves to. */
	sealed interface Lookup {
	}

	/** A regular file to send. */
	record Found(Path file, long length, long lastModifiedMillis, String contentType) implements Lookup {
	}

	/** A directory asked for without its trailing slash: redirect to {@code location}. */
	record Redirect(String location) implements Lookup {
	}

	/** Nothing to serve (absent, hidden, outside, not a regular file). */
	record Missing() implements Lookup {
	}

	private final Path root;
	private final String prefix;

	/**
	 * @param root     the served directory (must exist)
	 * @param sitePath its URL path, normalized ({@code /site}: no trailing slash)
	 */
	StaticSite(Path root, String sitePath) throws IOException {
		if (!Files.isDirectory(root)) {
			throw new IOException("--site " + root + " is not a directory");
		}
		this.root = root.toRealPath();
		this.prefix = sitePath;
	}

	String prefix() {
		return prefix;
	}

	/** Whether a (decoded) request path belongs to the site. */
	boolean covers(String path) {
		return path.equals(prefix) || path.startsWith(prefix + "/");
	}

	/** Maps a decoded request path below {@link #prefix()} to a file. */
	Lookup lookup(String path) {
		String relative = path.substring(prefix.length());
		Path target = root;
		for (String segment : relative.split("/", -1)) {
			if (segment.isEmpty()) {
				continue;
			}
			if (segment.equals("..") || segment.startsWith(".") || segment.indexOf('\\') >= 0
					|| segment.indexOf('\0') >= 0) {
				return new Missing();
			}
			target = target.resolve(segment);
		}
		try {
			Path real = target.toRealPath();
			if (!real.startsWith(root)) {
				return new Missing();
			}
			if (Files.isDirectory(real)) {
				if (!path.endsWith("/")) {
					return new Redirect(path + "/");
				}
				real = real.resolve("index.html");
				if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
					return new Missing();
				}
			}
			if (!Files.isRegularFile(real) || !Files.isReadable(real)) {
				return new Missing();
			}
			return new Found(real, Files.size(real), Files.getLastModifiedTime(real).toMillis(),
					contentType(real.getFileName().toString()));
		} catch (IOException e) {
			return new Missing();
		}
	}

	static String contentType(String fileName) {
		int dot = fileName.lastIndexOf('.');
		String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
		return TYPES.getOrDefault(ext, "application/octet-stream");
	}
}
