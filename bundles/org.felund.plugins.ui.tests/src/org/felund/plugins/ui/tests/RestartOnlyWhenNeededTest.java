package org.felund.plugins.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.felund.plugins.internal.RunningProduct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * When the plugin manager asks the desktop to restart, decided on real bundles installed into this framework, which
 * has the e4 workbench: a model fragment declared through the {@code org.eclipse.e4.workbench.model} extension is
 * read only at start (restart to add, restart to remove), while a {@code Model-Fragment} header or a plain service
 * bundle comes and goes live; a bundle that does not resolve, or the framework itself, needs a restart.
 */
class RestartOnlyWhenNeededTest {
	private static final String FRAGMENT = """
			<?xml version="1.0" encoding="UTF-8"?>
			<fragment:ModelFragments xmi:version="2.0" xmlns:xmi="http://www.omg.org/XMI" \
			xmlns:fragment="http://www.eclipse.org/ui/2010/UIModel/fragment" xmi:id="_f"/>
			""";

	private final BundleContext context = FrameworkUtil.getBundle(RestartOnlyWhenNeededTest.class).getBundleContext();
	private final RunningProduct product = new RunningProduct(context);
	private final List<Bundle> installed = new ArrayList<>();

	@AfterEach
	void uninstall() throws Exception {
		for (Bundle b : installed) {
			b.uninstall();
		}
		context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(installed);
	}

	@Test
	void aFragmentReadAtStartNeedsARestartToComeAndToGo() throws Exception {
		Bundle b = install("org.felund.test.startfragment", Map.of(), Map.of("plugin.xml", """
				<?xml version="1.0" encoding="UTF-8"?>
				<plugin><extension id="f" point="org.eclipse.e4.workbench.model">\
				<fragment uri="fragment.e4xmi" apply="always"/></extension></plugin>
				""", "fragment.e4xmi", FRAGMENT));
		assertEquals("Felund must restart to show what org.felund.test.startfragment adds to the window (its model"
				+ " fragment is read at start)", product.restartReason(List.of(b)));
		assertEquals("Felund must restart to remove org.felund.test.startfragment (the workbench or the framework uses"
				+ " it)", product.holdReason(List.of(b)));
	}

	@Test
	void aModelFragmentHeaderOrAPlainServiceBundleComesAndGoesLive() throws Exception {
		Bundle fragment = install("org.felund.test.livefragment",
				Map.of("Model-Fragment", "fragment.e4xmi;apply=always"), Map.of("fragment.e4xmi", FRAGMENT));
		Bundle service = install("org.felund.test.transport", Map.of(), Map.of());
		assertEquals("", product.restartReason(List.of(fragment, service)));
		assertEquals("", product.holdReason(List.of(fragment, service)));
	}

	@Test
	void aBundleThatDoesNotResolveOrTheFrameworkItselfNeedsARestart() throws Exception {
		Bundle broken = install("org.felund.test.broken", Map.of("Import-Package", "org.felund.nowhere"), Map.of());
		assertEquals(Bundle.INSTALLED, broken.getState());
		assertEquals("Felund must restart to start org.felund.test.broken", product.restartReason(List.of(broken)));
		assertTrue(product.holdReason(List.of(context.getBundle(0))).startsWith("Felund must restart to remove"
				+ " org.eclipse.osgi"));
	}

	/** Installs (and resolves, without starting) a bundle made here with these headers and entries. */
	private Bundle install(String name, Map<String, String> headers, Map<String, String> entries) throws Exception {
		Manifest manifest = new Manifest();
		Attributes main = manifest.getMainAttributes();
		main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
		main.putValue("Bundle-ManifestVersion", "2");
		main.putValue("Bundle-SymbolicName", name + ";singleton:=true");
		main.putValue("Bundle-Version", "1.0.0");
		headers.forEach(main::putValue);
		Bundle b = context.installBundle("test:" + name, new ByteArrayInputStream(jar(manifest, entries)));
		installed.add(b);
		context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(b));
		return b;
	}

	private static byte[] jar(Manifest manifest, Map<String, String> entries) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
			for (Map.Entry<String, String> e : entries.entrySet()) {
				out.putNextEntry(new JarEntry(e.getKey()));
				out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
				out.closeEntry();
			}
		}
		return bytes.toByteArray();
	}
}
