package org.felund.relay.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * A plain Java class path for a child JVM, built from the bundles of the running OSGi framework: the bundle that
 * loaded a class, its fragments, and every bundle it is wired to (packages and required bundles), transitively. A
 * test inside OSGi has no useful {@code java.class.path}; this is what it gives a process that runs the same code
 * without a framework.
 */
final class BundleClassPath {
	private BundleClassPath() {
	}

	/** The class path (entries joined with the path separator) on which {@code type} runs outside OSGi. */
	static String of(Class<?> type) throws IOException {
		Bundle start = FrameworkUtil.getBundle(type);
		if (start == null) {
			return System.getProperty("java.class.path"); // already on a plain class path
		}
		Properties dev = devProperties();
		Set<Bundle> seen = new LinkedHashSet<>();
		Deque<Bundle> todo = new ArrayDeque<>(List.of(start));
		Set<String> entries = new LinkedHashSet<>();
		while (!todo.isEmpty()) {
			Bundle b = todo.pop();
			if (b.getBundleId() == 0 || !seen.add(b)) {
				continue; // the system bundle's packages come from the JDK or are not needed outside OSGi
			}
			entries.addAll(entriesOf(b, dev));
			BundleWiring wiring = b.adapt(BundleWiring.class);
			if (wiring == null) {
				throw new IOException("bundle " + b.getSymbolicName() + " is not resolved");
			}
			for (BundleWire w : wiring.getProvidedWires(HostNamespace.HOST_NAMESPACE)) {
				todo.add(w.getRequirerWiring().getBundle()); // fragments add to their host's class path
			}
			for (String ns : List.of(PackageNamespace.PACKAGE_NAMESPACE, BundleNamespace.BUNDLE_NAMESPACE)) {
				for (BundleWire w : wiring.getRequiredWires(ns)) {
					todo.add(w.getProviderWiring().getBundle());
				}
			}
		}
		return String.join(java.io.File.pathSeparator, entries);
	}

	/** The files and folders holding one bundle's classes. */
	private static List<String> entriesOf(Bundle b, Properties dev) throws IOException {
		String location = b.getLocation();
		for (String prefix : List.of("initial@", "reference:")) {
			if (location.startsWith(prefix)) {
				location = location.substring(prefix.length());
			}
		}
		if (!location.startsWith("file:")) {
			throw new IOException("bundle " + b.getSymbolicName() + " has no file location: " + b.getLocation());
		}
		Path file = Path.of(location.substring("file:".length()));
		if (!file.isAbsolute()) {
			// Equinox reads a relative reference against its install area, as Tycho's test runtime writes them.
			file = installArea().resolve(file).normalize();
		}
		if (!Files.exists(file)) {
			throw new IOException("bundle " + b.getSymbolicName() + " is not at " + file + " (" + b.getLocation() + ")");
		}
		if (!Files.isDirectory(file)) {
			return List.of(file.toString());
		}
		// A reactor project run in place: its classes are in the output folders that osgi.dev names for it.
		String outputs = dev.getProperty(b.getSymbolicName(), "");
		LinkedHashSet<String> out = new LinkedHashSet<>();
		for (String folder : outputs.split(",")) {
			if (!folder.isBlank()) {
				Path p = file.resolve(folder.strip());
				if (Files.exists(p)) {
					out.add(p.toString());
				}
			}
		}
		if (out.isEmpty()) {
			Path classes = file.resolve("target/classes");
			out.add(Files.isDirectory(classes) ? classes.toString() : file.toString());
		}
		return List.copyOf(out);
	}

	private static Path installArea() throws IOException {
		String area = System.getProperty("osgi.install.area");
		if (area == null) {
			throw new IOException("osgi.install.area is not set: relative bundle locations cannot be read");
		}
		return Path.of(URI.create(area.replace(" ", "%20")));
	}

	/** Equinox's development class path (osgi.dev): a properties file naming each project's output folders. */
	private static Properties devProperties() throws IOException {
		Properties p = new Properties();
		String dev = System.getProperty("osgi.dev");
		if (dev != null && dev.contains(":")) {
			try (InputStream in = URI.create(dev).toURL().openStream()) {
				p.load(in);
			} catch (IllegalArgumentException | java.net.MalformedURLException e) {
				// osgi.dev may also be a plain list of folders for every bundle; the fallback below handles that
			}
		}
		return p;
	}
}
