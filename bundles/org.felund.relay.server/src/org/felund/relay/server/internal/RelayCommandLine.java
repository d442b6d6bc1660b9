package org.felund.relay.server.internal;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;

import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.SignaturePolicy;
import org.felund.relay.server.TrustProxy;

/**
 * Parses the {@code felund-relay} command line ({@code --name value} or {@code --name=value}) and the optional
 * {@code --config} properties file (same names without the dashes). Command-line values win over the file.
 */
public final class RelayCommandLine {

	/** What the application should do. */
	public record Parsed(boolean help, boolean verbose, RelayConfig config) {
	}

	private record Option(String name, String argument, String description, BiConsumer<RelayConfig.Builder, String> apply) {
	}

	private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

	private static void option(String name, String argument, String description,
			BiConsumer<RelayConfig.Builder, String> apply) {
		OPTIONS.put(name, new Option(name, argument, description, apply));
	}

	static {
		option("bind", "HOST", "address to listen on (default " + RelayConfig.DEFAULT_BIND + ")",
				RelayConfig.Builder::bindHost);
		option("port", "N", "TCP port, 0 = any free port (default " + RelayConfig.DEFAULT_PORT + ")",
				(b, v) -> b.port(integer("port", v)));
		option("db", "FILE|URL", "SQLite database file (default ~/.felund/relay/relay.db, or\n"
						+ "                         <felund.home>/relay/relay.db when -Dfelund.home is set), or a\n"
						+ "                         shared PostgreSQL database: postgresql://user:pass@host:5432/name",
				RelayConfig.Builder::db);
		option("site", "DIR", "serve DIR read-only under the site path (e.g. a p2 update site)",
				(b, v) -> b.siteDirectory(Path.of(v)));
		option("site-path", "PATH", "URL path of --site (default " + RelayConfig.DEFAULT_SITE_PATH + ")",
				RelayConfig.Builder::sitePath);
		option("base-path", "PATH", "serve the API under PATH/v1/... as well as /v1/... (e.g. /api)",
				RelayConfig.Builder::basePath);
		option("signatures", "strict|compat",
				"request-signature policy (default compat: the reference web client sends unsigned\n"
						+ "                         /v1/messages requests; strict rejects them)",
				(b, v) -> b.signatures(SignaturePolicy.parse(v)));
		option("message-retention-days", "N", "how long stored messages stay readable (default 30)",
				(b, v) -> b.messageRetention(Duration.ofSeconds(seconds("message-retention-days", v, 86_400))));
		option("key-retention-days", "N",
				"how long a circle's signing key stays bound after its last use (default 30)",
				(b, v) -> b.keyRetention(Duration.ofSeconds(seconds("key-retention-days", v, 86_400))));
		option("clock-skew-s", "N", "accepted request timestamp difference in seconds (default 300)",
				(b, v) -> b.clockSkew(duration("clock-skew-s", v)));
		option("max-body-bytes", "N", "largest request body in bytes (default 1048576)",
				(b, v) -> b.maxBodyBytes(integer("max-body-bytes", v)));
		option("signal-rate-limit", "N", "signal posts per sender node and window (default 20)",
				(b, v) -> b.signalRateLimit(integer("signal-rate-limit", v)));
		option("signal-rate-window-s", "N", "signal rate-limit window in seconds (default 10)",
				(b, v) -> b.signalRateWindow(duration("signal-rate-window-s", v)));
		option("ws-ping-interval-s", "N", "WebSocket ping period in seconds (default 15)",
				(b, v) -> b.wsPingInterval(duration("ws-ping-interval-s", v)));
		option("ws-pong-timeout-s", "N", "close a WebSocket whose pong is this late, seconds (default 7.5)",
				(b, v) -> b.wsPongTimeout(duration("ws-pong-timeout-s", v)));
		option("ws-catchup-window-s", "N", "messages this recent are sent to a new WebSocket (default 120)",
				(b, v) -> b.wsCatchUpWindow(duration("ws-catchup-window-s", v)));
		option("ws-max-connections", "N", "concurrent WebSocket subscribers (default 10000)",
				(b, v) -> b.wsMaxConnections(integer("ws-max-connections", v)));
		option("prune-interval-s", "N", "period of the expired-row cleanup in seconds (default 60)",
				(b, v) -> b.pruneInterval(duration("prune-interval-s", v)));
		option("trust-proxy", "loopback|always|never",
				"when X-Forwarded-For / X-Real-IP are believed (default loopback)",
				(b, v) -> b.trustProxy(TrustProxy.parse(v)));
		option("workers", "N", "request handler threads; they also wait for the database (default max(16, 4 x CPUs))",
				(b, v) -> b.workerThreads(integer("workers", v)));
		option("sync", "normal|full",
				"normal: survive process crashes; full: also power loss, fsync per commit (default normal)",
				(b, v) -> b.durableCommits(syncMode(v)));
		option("key-file", "FILE", "key that seals circle signing keys in the database (default relay.key beside\n"
				+ "                         the SQLite file; with PostgreSQL every instance needs the same file)",
				(b, v) -> b.keyFile(Path.of(v)));
		option("ws-signatures", "optional|required",
				"required: /v1/relay/ws needs a signed upgrade (the web client cannot; default optional)",
				(b, v) -> b.signedWebSocket(required("ws-signatures", v)));
		option("connections-per-address", "N", "open connections per client address (default 256)",
				(b, v) -> b.limits(l -> l.withConnectionsPerAddress(integer("connections-per-address", v))));
		option("max-connections", "N", "open connections in total (default 16384)",
				(b, v) -> b.limits(l -> l.withMaxConnections(integer("max-connections", v))));
		option("request-timeout-s", "N", "a started request must arrive within this time (default 30)",
				(b, v) -> b.limits(l -> l.withTimeouts(duration("request-timeout-s", v), l.writeTimeout())));
		option("write-timeout-s", "N", "an answer the client does not read within this time closes it (default 30)",
				(b, v) -> b.limits(l -> l.withTimeouts(l.requestTimeout(), duration("write-timeout-s", v))));
		option("max-page-bytes", "N", "stored bytes per message page, signal answer, WebSocket catch-up (default 2097152)",
				(b, v) -> b.limits(l -> l.withMaxPageBytes(integer("max-page-bytes", v))));
		option("requests-per-s", "N", "API requests per second and client address (default 100)",
				(b, v) -> b.limits(l -> l.withRequestRate(decimal("requests-per-s", v), l.requestBurst())));
		option("request-burst", "N", "requests a client address may send at once (default 500)",
				(b, v) -> b.limits(l -> l.withRequestRate(l.requestsPerSecond(), integer("request-burst", v))));
		option("post-kib-per-s", "N", "POST /v1/messages KiB per second and client address (default 64)",
				(b, v) -> b.limits(l -> l.withPostRate(integer("post-kib-per-s", v) * 1024L, l.postBurstBytes())));
		option("post-burst-kib", "N", "KiB a client address may post at once (default 4096)",
				(b, v) -> b.limits(l -> l.withPostRate(l.postBytesPerSecond(), integer("post-burst-kib", v) * 1024L)));
		option("new-circles-per-hour", "N", "circle keys a client address may bind per hour (default 20)",
				(b, v) -> b.limits(l -> l.withNewCirclesPerHour(integer("new-circles-per-hour", v))));
		option("signal-posts-per-address", "N", "signal posts per client address and window (default 60)",
				(b, v) -> b.limits(l -> l.withSignalLimits(integer("signal-posts-per-address", v),
						l.signalPostsPerRecipient(), l.signalMailboxRows(), l.signalMailboxBytes())));
		option("signal-posts-per-recipient", "N", "signal posts per recipient node and window (default 60)",
				(b, v) -> b.limits(l -> l.withSignalLimits(l.signalPostsPerAddress(),
						integer("signal-posts-per-recipient", v), l.signalMailboxRows(), l.signalMailboxBytes())));
		option("signal-mailbox-rows", "N", "unexpired signals waiting for one recipient (default 200)",
				(b, v) -> b.limits(l -> l.withSignalLimits(l.signalPostsPerAddress(), l.signalPostsPerRecipient(),
						integer("signal-mailbox-rows", v), l.signalMailboxBytes())));
		option("signal-mailbox-kib", "N", "their payload KiB (default 1024)",
				(b, v) -> b.limits(l -> l.withSignalLimits(l.signalPostsPerAddress(), l.signalPostsPerRecipient(),
						l.signalMailboxRows(), integer("signal-mailbox-kib", v) * 1024L)));
		option("circle-quota-messages", "N", "unexpired messages stored per circle (default 200000)",
				(b, v) -> b.limits(l -> l.withCircleQuota(integer("circle-quota-messages", v), l.circleQuotaBytes())));
		option("circle-quota-mb", "N", "their MiB per circle (default 256)",
				(b, v) -> b.limits(l -> l.withCircleQuota(l.circleQuotaMessages(), integer("circle-quota-mb", v) * (1L << 20))));
	}

	private static boolean required(String name, String v) {
		return switch (v.trim().toLowerCase(Locale.ROOT)) {
		case "required" -> true;
		case "optional" -> false;
		default -> throw new IllegalArgumentException("--" + name + " must be 'optional' or 'required', got '" + v + "'");
		};
	}

	private static double decimal(String name, String v) {
		try {
			return Double.parseDouble(v.trim());
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
		}
	}

	private RelayCommandLine() {
	}

	/**
	 * @throws IllegalArgumentException with a message naming the bad option or value
	 */
	public static Parsed parse(String[] args) {
		Map<String, String> values = new LinkedHashMap<>();
		boolean help = false;
		boolean verbose = false;
		String configFile = null;
		List<String> list = args == null ? List.of() : List.of(args);
		for (int i = 0; i < list.size(); i++) {
			String arg = list.get(i);
			if (arg.equals("--help") || arg.equals("-h") || arg.equals("-help")) {
				help = true;
				continue;
			}
			if (arg.equals("--verbose")) {
				verbose = true;
				continue;
			}
			if (!arg.startsWith("--") || arg.length() == 2) {
				throw new IllegalArgumentException("unexpected argument '" + arg + "' (try --help)");
			}
			String name = arg.substring(2);
			String value;
			int eq = name.indexOf('=');
			if (eq >= 0) {
				value = name.substring(eq + 1);
				name = name.substring(0, eq);
			} else {
				if (i + 1 >= list.size()) {
					throw new IllegalArgumentException("--" + name + " needs a value (try --help)");
				}
				value = list.get(++i);
			}
			if (name.equals("config")) {
				configFile = value;
			} else if (OPTIONS.containsKey(name)) {
				values.put(name, value);
			} else {
				throw new IllegalArgumentException("unknown option --" + name + " (try --help)");
			}
		}
		if (help) {
			return new Parsed(true, verbose, null);
		}
		RelayConfig.Builder builder = RelayConfig.builder();
		if (configFile != null) {
			Map<String, String> fromFile = readConfigFile(Path.of(configFile));
			fromFile.putAll(values);
			values = fromFile;
		}
		for (Map.Entry<String, String> e : values.entrySet()) {
			if (e.getKey().equals("verbose")) {
				verbose = Boolean.parseBoolean(e.getValue().trim());
				continue;
			}
			OPTIONS.get(e.getKey()).apply().accept(builder, e.getValue().trim());
		}
		return new Parsed(false, verbose, builder.build());
	}

	private static Map<String, String> readConfigFile(Path file) {
		Properties props = new Properties();
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			props.load(reader);
		} catch (IOException e) {
			throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (String key : props.stringPropertyNames()) {
			if (!OPTIONS.containsKey(key) && !key.equals("verbose")) {
				throw new IllegalArgumentException("unknown key '" + key + "' in config file " + file);
			}
			values.put(key, props.getProperty(key));
		}
		return values;
	}

	/** The text printed by {@code --help}. */
	public static String usage() {
		StringBuilder sb = new StringBuilder();
		sb.append("""
				felund-relay: relay / rendezvous server for felund circles (HTTP + WebSocket, SQLite or PostgreSQL).

				Usage: felund-relay [options]
				       felund-relay admin COMMAND ...   (circle signing keys; felund-relay admin --help)

				Options:
				""");
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "--help", "print this text and exit" });
		rows.add(new String[] { "--config FILE",
				"read options from a properties file (keys = option names without\n"
						+ "                         dashes, e.g. port=8787); command-line options win" });
		for (Option o : OPTIONS.values()) {
			rows.add(new String[] { "--" + o.name() + " " + o.argument(), o.description() });
		}
		rows.add(new String[] { "--verbose", "log every request (method, route, status, time; never bodies or keys)" });
		for (String[] row : rows) {
			String left = "  " + row[0];
			sb.append(left);
			if (left.length() >= 24) {
				sb.append('\n').append(" ".repeat(25));
			} else {
				sb.append(" ".repeat(25 - left.length()));
			}
			sb.append(row[1]).append('\n');
		}
		sb.append("""

				Endpoints: GET /v1/health, POST|DELETE /v1/register, GET /v1/peers, POST|GET /v1/messages,
				POST|GET /v1/signal, WebSocket /v1/relay/ws. Stops cleanly on SIGTERM / Ctrl-C.
				""");
		return sb.toString();
	}

	private static int integer(String name, String v) {
		try {
			return Integer.parseInt(v.trim());
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
		}
	}

	private static long seconds(String name, String v, long unitSeconds) {
		try {
			BigDecimal units = new BigDecimal(v.trim());
			return units.multiply(BigDecimal.valueOf(unitSeconds)).longValueExact();
		} catch (NumberFormatException | ArithmeticException e) {
			throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
		}
	}

	private static Duration duration(String name, String v) {
		try {
			BigDecimal secs = new BigDecimal(v.trim());
			return Duration.ofMillis(secs.movePointRight(3).longValueExact());
		} catch (NumberFormatException | ArithmeticException e) {
			throw new IllegalArgumentException(
					"--" + name + " must be a number of seconds (up to 3 decimals), got '" + v + "'");
		}
	}

	private static boolean syncMode(String v) {
		return switch (v.trim().toLowerCase(Locale.ROOT)) {
		case "normal" -> false;
		case "full" -> true;
		default -> throw new IllegalArgumentException("--sync must be 'normal' or 'full', got '" + v + "'");
		};
	}
}
