package org.felund.integration.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md, checked against every bundle manifest of the reactor: what each
 * bundle imports (optional imports included: they wire whenever the exporter is installed) and requires.
 */
class ArchitectureRulesTest {
	/** Bundles that do the platform's work; no production bundle imports one (tests use fragments). */
	private static final Set<String> IMPLEMENTATIONS = Set.of("org.felund.crypto", "org.felund.store.sqlite",
			"org.felund.core", "org.felund.anchor", "org.felund.node.cli", "org.felund.relay.server", "org.felund.ui",
			"org.felund.testsupport");
	/** The workbench's one public package: what plugin UIs contribute (slash commands). */
	private static final String WORKBENCH_CONTRIBUTIONS = "org.felund.ui.contrib";
	private static final List<String> SWT = List.of("org.eclipse.swt", "org.eclipse.jface", "org.eclipse.e4.ui");
	private static final List<String> NETTY = List.of("io.netty");
	private static final List<String> SQL = List.of("java.sql", "javax.sql", "org.sqlite", "org.postgresql");
	private static final List<String> JACKSON = List.of("com.fasterxml.jackson");
	private static final List<String> OSGI = List.of("org.osgi", "org.eclipse.osgi", "org.eclipse.equinox",
			"org.eclipse.core");

	/** One row of the table: which of our bundles a bundle may use, and which libraries never. */
	private record Rule(String row, Set<String> ours, boolean pluginLibraries, List<List<String>> never) {
	}

	private static Rule ruleFor(String bundle) {
		return switch (bundle) {
		case "org.felund.api" -> new Rule("api", Set.of(), false, List.of(SWT, NETTY, SQL, JACKSON, OSGI));
		case "org.felund.protocol" -> new Rule("protocol", Set.of("org.felund.api"), false, List.of(SWT, NETTY, SQL, OSGI));
		case "org.felund.crypto" -> new Rule("crypto", Set.of("org.felund.api", "org.felund.protocol"), false,
				List.of(SWT, NETTY, SQL));
		case "org.felund.store.sqlite" -> new Rule("store", Set.of("org.felund.api"), false, List.of(SWT, NETTY, JACKSON));
		case "org.felund.core" -> new Rule("core", Set.of("org.felund.api", "org.felund.protocol"), false,
				List.of(SWT, NETTY, SQL, JACKSON));
		case "org.felund.anchor" -> new Rule("anchor", Set.of("org.felund.api"), false, List.of(SWT, NETTY, JACKSON));
		case "org.felund.node.cli" -> new Rule("node.cli", Set.of("org.felund.api", "org.felund.protocol",
				"org.felund.plugins"), false, List.of(SWT, NETTY, SQL));
		case "org.felund.relay.server" -> new Rule("relay.server", Set.of("org.felund.api", "org.felund.protocol"),
				true, List.of(SWT));
		case "org.felund.ui" -> new Rule("ui", Set.of("org.felund.api"), false, List.of(NETTY));
		// Test helpers may implement the API for tests; the UI driver's SWT and e4 are optional (see below).
		case "org.felund.testsupport" -> new Rule("testsupport", Set.of("org.felund.api"), false, List.of(NETTY, SQL));
		default -> {
			if (bundle.startsWith("org.felund.transport.")) {
				yield new Rule("transport", Set.of("org.felund.api", "org.felund.protocol"), true, List.of(SWT, SQL));
			}
			if (bundle.endsWith(".ui")) {
				String plugin = bundle.substring(0, bundle.length() - ".ui".length());
				yield new Rule("plugin UI", Set.of("org.felund.api", plugin), false, List.of(NETTY, SQL));
			}
			yield new Rule("plugin", Set.of("org.felund.api", "org.felund.protocol"), true, List.of());
		}
		};
	}

	private record Bundle(String name, Path dir, Manifest manifest) {
		String header(String name) {
			String v = manifest.getMainAttributes().getValue(name);
			return v == null ? "" : v;
		}
	}

	private static List<Bundle> reactorBundles() throws IOException {
		String repo = System.getProperty("felund.repo");
		assertTrue(repo != null && !repo.isBlank(), "felund.repo (the repository root) is not set");
		List<Bundle> out = new ArrayList<>();
		try (Stream<Path> dirs = Files.list(Path.of(repo, "bundles"))) {
			for (Path dir : dirs.sorted().toList()) {
				Path mf = dir.resolve("META-INF/MANIFEST.MF");
				if (!Files.isRegularFile(mf)) {
					continue;
				}
				try (InputStream in = Files.newInputStream(mf)) {
					Manifest m = new Manifest(in);
					String name = m.getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].strip();
					out.add(new Bundle(name, dir, m));
				}
			}
		}
		return out;
	}

	/** The package names of an Import-Package or Export-Package header (attributes and directives dropped). */
	static List<String> packages(String header) {
		List<String> out = new ArrayList<>();
		StringBuilder clause = new StringBuilder();
		boolean quoted = false;
		for (char c : (header + ",").toCharArray()) {
			if (c == '"') {
				quoted = !quoted;
			}
			if (c == ',' && !quoted) {
				for (String part : clause.toString().split(";")) {
					String p = part.strip();
					if (!p.isEmpty() && !p.contains("=")) {
						out.add(p);
					}
				}
				clause.setLength(0);
			} else {
				clause.append(c);
			}
		}
		return out;
	}

	/** Problems of one bundle; {@code exporters} maps each of our packages to the bundle that exports it. */
	static List<String> violations(Bundle b, Map<String, String> exporters) {
		List<String> problems = new ArrayList<>();
		if (b.name().endsWith(".tests") || !b.header("Fragment-Host").isEmpty()) {
			return problems; // tests and test fragments may use what they test
		}
		Rule rule = ruleFor(b.name());
		List<String> used = new ArrayList<>(packages(b.header("Import-Package")));
		for (String required : packages(b.header("Require-Bundle"))) {
			used.add("bundle:" + required);
		}
		for (String pkg : used) {
			String name = pkg.startsWith("bundle:") ? pkg.substring(7) : pkg;
			String ours = pkg.startsWith("bundle:") ? (name.startsWith("org.felund.") ? name : null)
					: exporters.get(name);
			if (ours != null && !ours.equals(b.name())) {
				boolean allowed = rule.ours().contains(ours) || rule.pluginLibraries()
						&& !IMPLEMENTATIONS.contains(ours) && !ours.startsWith("org.felund.transport.")
						&& !ours.endsWith(".ui")
						|| rule.row().equals("plugin UI") && name.equals(WORKBENCH_CONTRIBUTIONS);
				if (!allowed) {
					problems.add(b.name() + " (" + rule.row() + " row) uses " + name + " of " + ours);
				}
				continue;
			}
			for (List<String> family : rule.never()) {
				for (String prefix : family) {
					if (name.equals(prefix) || name.startsWith(prefix + ".")) {
						problems.add(b.name() + " (" + rule.row() + " row) never uses " + name);
					}
				}
			}
		}
		if (rule.row().equals("testsupport")) {
			// Headless tests use test support too: they must resolve it without a display stack.
			List<String> mandatory = new ArrayList<>(mandatory(b.header("Import-Package")));
			mandatory.addAll(mandatory(b.header("Require-Bundle")));
			for (String name : mandatory) {
				for (String prefix : SWT) {
					if (name.equals(prefix) || name.startsWith(prefix + ".")) {
						problems.add(b.name() + " (testsupport row) uses " + name + " only with resolution:=optional");
					}
				}
			}
		}
		return problems;
	}

	/** The names of a header's clauses that are not {@code resolution:=optional}. */
	static List<String> mandatory(String header) {
		List<String> out = new ArrayList<>();
		for (String clause : header.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
			String[] parts = clause.split(";");
			String name = parts[0].strip();
			boolean optional = false;
			for (int i = 1; i < parts.length; i++) {
				optional |= parts[i].replace(" ", "").equals("resolution:=optional");
			}
			if (!name.isEmpty() && !optional) {
				out.add(name);
			}
		}
		return out;
	}

	@Test
	void everyBundleImportsOnlyWhatItsRowAllows() throws IOException {
		List<Bundle> bundles = reactorBundles();
		assertTrue(bundles.size() >= 10, "found only " + bundles.size() + " bundles");
		Map<String, String> exporters = new TreeMap<>();
		for (Bundle b : bundles) {
			for (String pkg : packages(b.header("Export-Package"))) {
				if (pkg.startsWith("org.felund.")) {
					exporters.put(pkg, b.name());
				}
			}
		}
		List<String> problems = new ArrayList<>();
		for (Bundle b : bundles) {
			problems.addAll(violations(b, exporters));
		}
		assertTrue(problems.isEmpty(), "Architecture rules broken (docs/architecture.md):\n  "
				+ String.join("\n  ", problems));
	}

	@Test
	void theRulesCatchAForbiddenImport() {
		Manifest m = new Manifest();
		Attributes a = m.getMainAttributes();
		a.putValue("Manifest-Version", "1.0");
		a.putValue("Import-Package", "org.felund.api.node;version=\"[0.2,0.3)\",org.felund.crypto;resolution:=optional,"
				+ "org.eclipse.swt.widgets");
		Bundle core = new Bundle("org.felund.core", Path.of("."), m);
		List<String> problems = violations(core,
				Map.of("org.felund.api.node", "org.felund.api", "org.felund.crypto", "org.felund.crypto"));
		assertTrue(problems.equals(List.of("org.felund.core (core row) uses org.felund.crypto of org.felund.crypto",
				"org.felund.core (core row) never uses org.eclipse.swt.widgets")), problems.toString());
	}

	@Test
	void testSupportUsesTheDisplayStackOnlyOptionally() {
		Manifest m = new Manifest();
		Attributes a = m.getMainAttributes();
		a.putValue("Manifest-Version", "1.0");
		a.putValue("Import-Package", "org.felund.api.transport;version=\"[0.3,0.4)\",org.eclipse.swt.widgets,"
				+ "org.eclipse.e4.ui.model.application;resolution:=optional");
		a.putValue("Require-Bundle", "org.eclipse.swt;resolution:=optional,org.eclipse.e4.ui.workbench");
		Bundle support = new Bundle("org.felund.testsupport", Path.of("."), m);
		List<String> problems = violations(support, Map.of("org.felund.api.transport", "org.felund.api"));
		assertTrue(problems.equals(List.of(
				"org.felund.testsupport (testsupport row) uses org.eclipse.swt.widgets only with resolution:=optional",
				"org.felund.testsupport (testsupport row) uses org.eclipse.e4.ui.workbench only with resolution:=optional")),
				problems.toString());
	}
}
