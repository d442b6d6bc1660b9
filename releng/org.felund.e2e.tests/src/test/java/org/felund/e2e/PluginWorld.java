package org.felund.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the plugin end-to-end tests share: copies of the materialized products (so installing into them leaves the
 * reactor's products alone), a real {@code ./felund-relay} (which also serves the update site over HTTP), the
 * scripts run on a product copy, and questions to a product's configuration.
 */
final class PluginWorld {
	static final String RELAY_FEATURE = "org.felund.transport.relay.feature";

	private PluginWorld() {
	}

	/** A copy of a materialized product, e.g. {@code org.felund.desktop}. */
	static Path copyProduct(String uid, Path target) throws IOException {
		Path source = Products.product(uid);
		if (!Files.isDirectory(source.resolve("plugins"))) {
			throw new IllegalStateException("no materialized product at " + source);
		}
		try (Stream<Path> all = Files.walk(source)) {
			for (Path p : all.toList()) {
				Path to = target.resolve(source.relativize(p).toString());
				if (Files.isDirectory(p)) {
					Files.createDirectories(to);
				} else {
					Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
				}
			}
		}
		return target;
	}

	/** The environment that makes the root scripts run the product copy. */
	static Map<String, String> on(Path product) {
		return Map.of("FELUND_PRODUCT_DIR", product.toString());
	}

	static String bundlesInfo(Path product) throws IOException {
		return Files.readString(product.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"));
	}

	static boolean hasRelayBundle(Path product) throws IOException {
		return bundlesInfo(product).contains("\norg.felund.transport.relay,");
	}

	static boolean hasRelayJar(Path product) throws IOException {
		try (Stream<Path> files = Files.list(product.resolve("plugins"))) {
			return files.anyMatch(f -> f.getFileName().toString().startsWith("org.felund.transport.relay_"));
		}
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	static String field(String json, String name) {
		Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
		if (!m.find()) {
			throw new AssertionError(name + " missing in " + json);
		}
		return m.group(1);
	}

	interface Check {
		boolean ok() throws Exception;
	}

	static boolean eventually(int seconds, Check check) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < deadline) {
			if (check.ok()) {
				return true;
			}
			Thread.sleep(500);
		}
		return check.ok();
	}

	/**
	 * A real {@code ./felund-relay} on a free loopback port with its own database; with a site folder it also serves
	 * that update site over HTTP under {@code /site/} ({@code --site}), as a relay operator would.
	 */
	static final class Relay implements AutoCloseable {
		final Process process;
		final String url;
		final Path log;

		Relay(Path dir) throws Exception {
			this(dir, null);
		}

		Relay(Path dir, Path site) throws Exception {
			this(dir, site, new String[0]);
		}

		/** @param options further {@code felund-relay} options, e.g. {@code --signatures strict} */
		Relay(Path dir, Path site, String... options) throws Exception {
			int port = freePort();
			log = dir.resolve("relay.log");
			List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port), "--db",
					dir.resolve("relay.db").toString()));
			if (site != null) {
				args.addAll(List.of("--site", site.toString()));
			}
			args.addAll(List.of(options));
			process = Products.start(dir.resolve("relay-home"), log, "felund-relay", args.toArray(String[]::new));
			url = "http://127.0.0.1:" + port;
			if (!eventually(60, () -> Files.exists(log) && Files.readString(log).contains("listening on"))) {
				throw new AssertionError("the relay did not start:\n" + Files.readString(log));
			}
		}

		/** The update site it serves ({@code --site}). */
		URI site() {
			return URI.create(url + "/site/");
		}

		/** The msg_ids the relay stores for a circle: what went through it. */
		List<String> storedMessageIds(String circleHint) throws Exception {
			HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest
					.newBuilder(URI.create(url + "/v1/messages?circle_hint=" + circleHint + "&since=0&limit=500"))
					.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			List<String> ids = new ArrayList<>();
			Matcher m = Pattern.compile("\"msg_id\":\"([0-9a-f]+)\"").matcher(r.body());
			while (m.find()) {
				ids.add(m.group(1));
			}
			return ids;
		}

		@Override
		public void close() throws Exception {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}
}
