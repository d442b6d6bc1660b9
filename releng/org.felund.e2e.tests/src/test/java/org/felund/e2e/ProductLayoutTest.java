package org.felund.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/** The update site lists the features, and the desktop product can install more plugins (p2 profile). */
class ProductLayoutTest {
	@Test
	void updateSiteListsEveryFeatureInACategory() throws IOException {
		String content = unzipEntry(Products.site().resolve("content.jar"), "content.xml");
		for (String feature : new String[] { "org.felund.runtime.feature", "org.felund.core.feature",
				"org.felund.ui.feature", "org.felund.relay.server.feature",
				"org.felund.transport.gossip.feature", "org.felund.transport.relay.feature", "org.felund.node.feature",
				"org.felund.anchor.feature" }) {
			assertTrue(content.contains("id='" + feature + ".feature.group'"), feature + " missing from the site");
			assertTrue(Files.exists(Products.site().resolve("features")), "site has a features folder");
		}
		assertTrue(content.contains("org.eclipse.equinox.p2.type.category"), "the site has categories");
	}

	@Test
	void desktopProductCarriesAP2ProfileWithTheWorkbenchInstalled() throws IOException {
		Path profiles = Products.product("org.felund.desktop")
				.resolve("p2/org.eclipse.equinox.p2.engine/profileRegistry/DefaultProfile.profile");
		assertTrue(Files.isDirectory(profiles), "no p2 profile in the desktop product: " + profiles);
		try (var files = Files.walk(profiles)) {
			// p2 writes a new timestamped file per change; the newest is the profile's current state.
			String profile = files.filter(f -> f.toString().endsWith(".profile.gz"))
					.max(java.util.Comparator.comparing(Path::getFileName))
					.map(ProductLayoutTest::gunzip).orElseThrow();
			assertTrue(profile.contains("id='org.felund.ui'"), "the workbench bundle is in the profile");
			assertTrue(profile.contains("id='org.eclipse.equinox.p2.engine'"), "the p2 engine is installed");
		}
	}

	private static String gunzip(Path file) {
		try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new AssertionError(e);
		}
	}

	private static String unzipEntry(Path zip, String entry) throws IOException {
		try (ZipFile z = new ZipFile(zip.toFile()); InputStream in = z.getInputStream(z.getEntry(entry))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}
}
