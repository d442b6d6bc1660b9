package org.felund.relay.server;

import static org.felund.relay.server.RelayHarness.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.felund.relay.server.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --site DIR}: a p2 update site served read-only next to the API. */
class StaticSiteTest {
	@TempDir
	Path dir;
	Path site;
	RelayHarness relay;
	byte[] contentJar;

	@BeforeEach
	void start() throws Exception {
		site = Files.createDirectories(dir.resolve("site"));
		contentJar = new byte[300_000];
		new Random(1).nextBytes(contentJar);
		Files.write(site.resolve("content.jar"), contentJar);
		Files.writeString(site.resolve("p2.index"), "version=1\nmetadata.repository.factory.order=content.xml.xz,!\n");
		Files.createDirectories(site.resolve("plugins"));
		Files.writeString(site.resolve("plugins/org.felund.x_1.0.0.jar"), "PK-not-really");
		Files.createDirectories(site.resolve("features"));
		Files.writeString(site.resolve("index.html"), "<h1>Felund update site</h1>");
		Files.writeString(site.resolve(".htpasswd"), "hidden");
		Files.writeString(dir.resolve("secret.txt"), "outside the site");
		Files.createSymbolicLink(site.resolve("escape.txt"), dir.resolve("secret.txt"));
		relay = new RelayHarness(dir.resolve("relay"), b -> b.siteDirectory(site));
	}

	@AfterEach
	void stop() {
		relay.close();
	}

	HttpResponse<byte[]> fetch(String method, String path, Map<String, String> headers) throws Exception {
		HttpRequest.Builder b = HttpRequest.newBuilder(relay.uri(path)).method(method,
				HttpRequest.BodyPublishers.noBody());
		headers.forEach(b::header);
		return relay.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	@Test
	void filesAreServedWithTheirTypesLengthAndDate() throws Exception {
		HttpResponse<byte[]> jar = fetch("GET", "/site/content.jar", Map.of());
		assertEquals(200, jar.statusCode());
		assertArrayEquals(contentJar, jar.body());
		assertEquals("application/java-archive", jar.headers().firstValue("Content-Type").orElseThrow());
		assertEquals(Long.toString(contentJar.length), jar.headers().firstValue("Content-Length").orElseThrow());
		assertTrue(jar.headers().firstValue("Last-Modified").isPresent());
		HttpResponse<byte[]> index = fetch("GET", "/site/p2.index", Map.of());
		assertEquals("text/plain; charset=utf-8", index.headers().firstValue("Content-Type").orElseThrow());
		assertEquals("PK-not-really",
				new String(fetch("GET", "/site/plugins/org.felund.x_1.0.0.jar", Map.of()).body(), StandardCharsets.UTF_8));
		assertEquals("<h1>Felund update site</h1>",
				new String(fetch("GET", "/site/", Map.of()).body(), StandardCharsets.UTF_8));
		// The API is still there.
		expect(200, relay.get("/v1/health"));
	}

	@Test
	void headGivesTheHeadersWithoutTheBodyAndUnchangedFilesGet304() throws Exception {
		HttpResponse<byte[]> head = fetch("HEAD", "/site/content.jar", Map.of());
		assertEquals(200, head.statusCode());
		assertEquals(Long.toString(contentJar.length), head.headers().firstValue("Content-Length").orElseThrow());
		assertEquals(0, head.body().length);
		String lastModified = head.headers().firstValue("Last-Modified").orElseThrow();
		assertEquals(304, fetch("GET", "/site/content.jar", Map.of("If-Modified-Since", lastModified)).statusCode());
		// The connection is still good for the next request after a HEAD.
		assertEquals(200, fetch("GET", "/site/p2.index", Map.of()).statusCode());
	}

	@Test
	void missingHiddenAndDirectoryPathsAre404AndDirectoriesWithoutSlashRedirect() throws Exception {
		Reply missing = relay.get("/site/artifacts.xml.xz");
		assertEquals(404, missing.status());
		HttpBasicsTest.assertCors(missing);
		assertEquals(404, relay.get("/site/.htpasswd").status());
		assertEquals(404, relay.get("/site/features/").status(), "no listings");
		HttpResponse<byte[]> redirect = fetch("GET", "/site/plugins", Map.of());
		assertEquals(301, redirect.statusCode());
		assertEquals("/site/plugins/", redirect.headers().firstValue("Location").orElseThrow());
		Reply post = relay.post("/site/content.jar", "{}");
		assertEquals(405, post.status());
		assertEquals("GET, HEAD, OPTIONS", post.header("Allow"));
	}

	@Test
	void nothingOutsideTheDirectoryIsReachable() throws Exception {
		for (String path : new String[] { "/site/../secret.txt", "/site/%2e%2e/secret.txt", "/site/..%2fsecret.txt",
				"/site/plugins/../../secret.txt", "/site/escape.txt", "/site/%2e%2e%2f%2e%2e%2fetc/passwd",
				"/site/..\\secret.txt", "/site/%00/content.jar" }) {
			String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
			assertTrue(response.startsWith("HTTP/1.1 404") || response.startsWith("HTTP/1.1 400"),
					path + " -> " + response.lines().findFirst().orElse(""));
			assertFalse(response.contains("outside the site"), path);
		}
	}

	@Test
	void withoutSiteThePathIsAPlain404() throws Exception {
		try (RelayHarness plain = new RelayHarness(dir.resolve("plain"))) {
			assertEquals(404, plain.get("/site/content.jar").status());
		}
	}

	String raw(String request) throws Exception {
		URI base = relay.uri("/");
		try (Socket s = new Socket(base.getHost(), base.getPort())) {
			s.setSoTimeout(5000);
			OutputStream out = s.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = s.getInputStream();
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			in.transferTo(all);
			return all.toString(StandardCharsets.ISO_8859_1);
		}
	}
}
