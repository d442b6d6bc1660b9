package org.felund.plugins.tests;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * An update site with one plugin, the relay transport, at a newer version than the reactor's site: its p2 metadata
 * and artifacts copied from the reactor's site with the version's qualifier raised (in the bundle's manifest too,
 * with the artifact's size and checksum to match). Its dependencies stay on the reactor's site, so it is used
 * together with it.
 */
record NewerSite(URI location, String version) {
	private static final List<String> UNITS = List.of("org.felund.transport.relay",
			"org.felund.transport.relay.feature.feature.group", "org.felund.transport.relay.feature.feature.jar");
	private static final List<String> ARTIFACTS = List.of("org.felund.transport.relay",
			"org.felund.transport.relay.feature");

	static NewerSite withNewerRelay(Path site, Path target) throws IOException {
		String content = unzip(site.resolve("content.jar"), "content.xml");
		String artifacts = unzip(site.resolve("artifacts.jar"), "artifacts.xml");
		Matcher m = Pattern.compile("<unit id='org.felund.transport.relay' version='([^']+)'").matcher(content);
		if (!m.find()) {
			throw new IllegalStateException("the site has no relay bundle");
		}
		String old = m.group(1);
		String newer = old + "zz";
		StringBuilder units = new StringBuilder();
		for (String id : UNITS) {
			units.append(block(content, "unit", id, old).replace(old, newer)).append('\n');
		}
		Files.createDirectories(target.resolve("plugins"));
		Files.createDirectories(target.resolve("features"));
		Path bundle = target.resolve("plugins/org.felund.transport.relay_" + newer + ".jar");
		withVersion(site.resolve("plugins/org.felund.transport.relay_" + old + ".jar"), bundle, old, newer);
		Files.copy(site.resolve("features/org.felund.transport.relay.feature_" + old + ".jar"),
				target.resolve("features/org.felund.transport.relay.feature_" + newer + ".jar"));
		StringBuilder files = new StringBuilder();
		for (String id : ARTIFACTS) {
			String entry = block(artifacts, "artifact", id, old).replace(old, newer);
			if (id.equals("org.felund.transport.relay")) {
				entry = describe(entry, bundle);
			}
			files.append(entry).append('\n');
		}
		Matcher mappings = Pattern.compile("<mappings.*?</mappings>", Pattern.DOTALL).matcher(artifacts);
		if (!mappings.find()) {
			throw new IllegalStateException("the site's artifacts.xml has no mappings");
		}
		Files.writeString(target.resolve("content.xml"), "<?xml version='1.0' encoding='UTF-8'?>\n"
				+ "<?metadataRepository version='1.2.0'?>\n"
				+ "<repository name='Newer relay' type='org.eclipse.equinox.internal.p2.metadata.repository.LocalMetadataRepository' version='1'>\n"
				+ "<properties size='1'><property name='p2.timestamp' value='" + System.currentTimeMillis() + "'/></properties>\n"
				+ "<units size='" + UNITS.size() + "'>\n" + units + "</units>\n</repository>\n", StandardCharsets.UTF_8);
		Files.writeString(target.resolve("artifacts.xml"), "<?xml version='1.0' encoding='UTF-8'?>\n"
				+ "<?artifactRepository version='1.1.0'?>\n"
				+ "<repository name='Newer relay' type='org.eclipse.equinox.p2.artifact.repository.simpleRepository' version='1'>\n"
				+ "<properties size='1'><property name='p2.timestamp' value='" + System.currentTimeMillis() + "'/></properties>\n"
				+ mappings.group() + "\n<artifacts size='" + ARTIFACTS.size() + "'>\n" + files + "</artifacts>\n</repository>\n",
				StandardCharsets.UTF_8);
		return new NewerSite(target.toUri(), newer);
	}

	/** A copy of the jar whose manifest names the new version. */
	private static void withVersion(Path jar, Path copy, String old, String newer) throws IOException {
		try (ZipFile in = new ZipFile(jar.toFile());
				ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
			for (ZipEntry entry : java.util.Collections.list(in.entries())) {
				byte[] data;
				try (InputStream stream = in.getInputStream(entry)) {
					data = stream.readAllBytes();
				}
				if (entry.getName().equals("META-INF/MANIFEST.MF")) {
					data = new String(data, StandardCharsets.UTF_8)
							.replace("Bundle-Version: " + old, "Bundle-Version: " + newer).getBytes(StandardCharsets.UTF_8);
				}
				out.putNextEntry(new ZipEntry(entry.getName()));
				out.write(data);
				out.closeEntry();
			}
		}
	}

	/** The artifact entry with the size and SHA-256 of the rewritten jar (other checksums left out). */
	private static String describe(String entry, Path jar) throws IOException {
		byte[] bytes = Files.readAllBytes(jar);
		String sha256;
		try {
			sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
		} catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
		String e = entry.replaceAll("<property name='download.checksum[^']*' value='[^']*'/>\\s*", "")
				.replaceAll("<property name='download.md5' value='[^']*'/>\\s*", "")
				.replaceAll("name='artifact.size' value='\\d+'", "name='artifact.size' value='" + bytes.length + "'")
				.replaceAll("name='download.size' value='\\d+'", "name='download.size' value='" + bytes.length + "'");
		e = e.replaceFirst("<properties size='\\d+'>", "<properties size='" + (countProperties(e) + 1) + "'>"
				+ "<property name='download.checksum.sha-256' value='" + sha256 + "'/>");
		return e;
	}

	private static int countProperties(String entry) {
		return entry.split("<property ", -1).length - 1;
	}

	private static String block(String xml, String element, String id, String version) {
		Matcher m = Pattern.compile("<" + element + "( classifier='[^']*')? id='" + Pattern.quote(id) + "' version='"
				+ Pattern.quote(version) + "'.*?</" + element + ">", Pattern.DOTALL).matcher(xml);
		if (!m.find()) {
			throw new IllegalStateException("no " + element + " " + id + " " + version + " in the site");
		}
		return m.group();
	}

	private static String unzip(Path jar, String entry) throws IOException {
		try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(zip.getEntry(entry))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}
}
