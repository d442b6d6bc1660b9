package org.felund.testsupport;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The class path for a plain child JVM that runs code of a test fragment: in an OSGi test framework, every
 * installed bundle's jar (or output folder); outside OSGi, this JVM's own class path.
 */
public final class FlatClassPath {
	private FlatClassPath() {
	}

	public static String of(Class<?> anchor) {
		Bundle bundle = FrameworkUtil.getBundle(anchor);
		if (bundle == null) {
			return System.getProperty("java.class.path");
		}
		Set<String> entries = new LinkedHashSet<>();
		for (Bundle b : bundle.getBundleContext().getBundles()) {
			if (b.getBundleId() == 0) {
				continue;
			}
			String location = b.getLocation();
			int file = location.indexOf("file:");
			if (file < 0) {
				continue;
			}
			Path p = path(location.substring(file + "file:".length()));
			entries.add(p.toString());
			// A project referenced as a folder keeps its classes in an output folder.
			for (String output : new String[] { "target/classes", "bin" }) {
				if (Files.isDirectory(p) && Files.isDirectory(p.resolve(output))) {
					entries.add(p.resolve(output).toString());
				}
			}
		}
		return String.join(File.pathSeparator, entries);
	}

	/** {@code file:} locations come as URIs ({@code /a%20b}) or as plain paths, relative to the install area. */
	private static Path path(String spec) {
		String decoded = spec.startsWith("//") ? spec.substring(2) : spec;
		try {
			decoded = java.net.URLDecoder.decode(decoded.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
		} catch (IllegalArgumentException e) {
			// Not URI-encoded: take it as it is.
		}
		Path p = Path.of(decoded);
		if (!p.isAbsolute()) {
			String area = System.getProperty("osgi.install.area", "");
			Path base = area.startsWith("file:") ? Path.of(URI.create(area)) : Path.of(System.getProperty("user.dir"));
			p = base.resolve(p).normalize();
		}
		return p;
	}
}
