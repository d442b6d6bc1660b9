package org.felund.relay.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link RelayServer} needs to run. Build it with {@link #builder()}; every value has a default
 * that matches the reference relays (protocol §7, §9.3) where they define one.
 *
 * @param bindHost          address to listen on (default {@code 127.0.0.1}: put a TLS proxy in front)
 * @param port              TCP port, {@code 0} picks a free one (see {@link RelayServer#port()})
 * @param database          SQLite file, created with its parent directories when missing (default
 *                          {@code <felund.home>/relay/relay.db}, i.e. {@code ~/.felund/relay/relay.db}); unused
 *                          when {@code postgresUrl} is set
 * @param postgresUrl       {@code postgresql://user:password@host:port/database?…} to keep everything in a shared
 *                          PostgreSQL database (several relay instances may use it at once); {@code null}: SQLite
 * @param basePath          optional path prefix in front of {@code /v1} (e.g. {@code /api}); {@code ""} for none
 * @param signatures        signature enforcement, see {@link SignaturePolicy}
 * @param messageRetention  how long a stored message stays readable (reference: 30 days)
 * @param keyRetention      how long a circle's signing key stays bound after its last verified use
 * @param clockSkew         accepted difference between {@code X-Felund-Ts} and the server clock (reference: 300 s)
 * @param maxBodyBytes      largest accepted request body; bigger bodies get 413
 * @param signalRateLimit   signal posts allowed per sender node and window (reference: 20)
 * @param signalRateWindow  the rate-limit window (reference: 10 s)
 * @param wsPingInterval    WebSocket protocol ping period (reference: 15 s)
 * @param wsPongTimeout     a socket that does not answer a ping within this time is closed (reference: 7.5 s)
 * @param wsCatchUpWindow   messages stored this recently are sent to a new socket (reference: 120 s)
 * @param wsMaxConnections  concurrent WebSocket subscribers; further upgrades get 503
 * @param pruneInterval     period of the background deletion of expired rows (reference: 60 s)
 * @param trustProxy        when forwarding headers are believed for {@code observed_host}
 * @param workerThreads     threads that run request handlers (database work happens there, never on I/O
 *                          threads)
 * @param durableCommits    {@code true}: fsync every commit (SQLite {@code synchronous=FULL}); {@code false}:
 *                          survive process crashes but possibly lose the last commits on power loss
 *                          (SQLite only; PostgreSQL follows the server's {@code synchronous_commit})
 * @param siteDirectory     a directory served read-only over HTTP under {@code sitePath} (e.g. a p2 update site);
 *                          {@code null}: none
 * @param sitePath          the URL path the site directory is served under (default {@code /site})
 * @param limits            per-address, per-circle and per-connection bounds, see {@link RelayLimits}
 * @param keyFile           the file with the key that seals circle signing keys in the database (created when
 *                          missing); {@code null}: {@code relay.key} beside the SQLite file, or
 *                          {@code <felund.home>/relay/relay.key} with PostgreSQL
 * @param signedWebSocket   {@code true}: {@code /v1/relay/ws} requires a request signed with the circle's key (the
 *                          reference web client cannot); {@code false}: a signature is checked when one is sent
 */
public record RelayConfig(String bindHost, int port, Path database, String basePath, SignaturePolicy signatures,
		Duration messageRetention, Duration keyRetention, Duration clockSkew, int maxBodyBytes, int signalRateLimit,
		Duration signalRateWindow, Duration wsPingInterval, Duration wsPongTimeout, Duration wsCatchUpWindow,
		int wsMaxConnections, Duration pruneInterval, TrustProxy trustProxy, int workerThreads,
		boolean durableCommits, String postgresUrl, Path siteDirectory, String sitePath, RelayLimits limits,
		Path keyFile, boolean signedWebSocket) {

	public static final String DEFAULT_BIND = "127.0.0.1";
	public static final int DEFAULT_PORT = 8787;
	public static final String DEFAULT_SITE_PATH = "/site";

	/** Whether the storage is a shared PostgreSQL database rather than the SQLite file. */
	public boolean usesPostgres() {
		return postgresUrl != null;
	}

	/** Whether {@code value} (of {@code --db}) names a PostgreSQL database rather than a SQLite file. */
	public static boolean isPostgresUrl(String value) {
		String v = value.trim().toLowerCase(java.util.Locale.ROOT);
		return v.startsWith("postgresql://") || v.startsWith("postgres://") || v.startsWith("jdbc:postgresql:");
	}

	public RelayConfig {
		Objects.requireNonNull(bindHost, "bindHost");
		Objects.requireNonNull(database, "database");
		Objects.requireNonNull(signatures, "signatures");
		Objects.requireNonNull(trustProxy, "trustProxy");
		Objects.requireNonNull(limits, "limits");
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
		}
		basePath = normalizeBasePath(basePath);
		sitePath = normalizeBasePath(sitePath == null || sitePath.isBlank() ? DEFAULT_SITE_PATH : sitePath);
		if (sitePath.isEmpty() || sitePath.equals("/v1") || sitePath.startsWith("/v1/")
				|| (!basePath.isEmpty() && (sitePath + "/").startsWith(basePath + "/v1/"))) {
			throw new IllegalArgumentException("site path " + (sitePath.isEmpty() ? "/" : sitePath)
					+ " would hide the API; use a path such as /site");
		}
		if (postgresUrl != null && postgresUrl.isBlank()) {
			postgresUrl = null;
		}
		requirePositive(messageRetention, "message retention");
		requirePositive(keyRetention, "key retention");
		requirePositive(clockSkew, "clock skew");
		requirePositive(signalRateWindow, "signal rate window");
		requirePositive(wsPingInterval, "WebSocket ping interval");
		requirePositive(wsPongTimeout, "WebSocket pong timeout");
		requirePositive(wsCatchUpWindow, "WebSocket catch-up window");
		requirePositive(pruneInterval, "prune interval");
		if (maxBodyBytes < 64 * 1024) {
			throw new IllegalArgumentException("max body bytes must be at least 65536 (a signal payload is up to 64 KB), got "
					+ maxBodyBytes);
		}
		if (signalRateLimit < 1) {
			throw new IllegalArgumentException("signal rate limit must be at least 1, got " + signalRateLimit);
		}
		if (wsMaxConnections < 1) {
			throw new IllegalArgumentException("WebSocket connection limit must be at least 1, got " + wsMaxConnections);
		}
		if (workerThreads < 1) {
			throw new IllegalArgumentException("worker threads must be at least 1, got " + workerThreads);
		}
	}

	private static void requirePositive(Duration d, String what) {
		Objects.requireNonNull(d, what);
		if (d.isNegative() || d.isZero()) {
			throw new IllegalArgumentException(what + " must be positive, got " + d);
		}
	}

	/** {@code ""} or a path that starts with {@code /} and has no trailing {@code /}. */
	static String normalizeBasePath(String path) {
		if (path == null) {
			return "";
		}
		String p = path.trim();
		while (p.endsWith("/")) {
			p = p.substring(0, p.length() - 1);
		}
		if (p.isEmpty()) {
			return "";
		}
		if (!p.startsWith("/")) {
			p = "/" + p;
		}
		if (p.contains("?") || p.contains("#") || p.contains("//")) {
			throw new IllegalArgumentException("base path must be a plain URL path such as /api, got '" + path + "'");
		}
		return p;
	}

	public static Builder builder() {
		return new Builder();
	}

	/** A builder pre-filled with this configuration. */
	public Builder toBuilder() {
		Builder b = new Builder();
		b.bindHost = bindHost;
		b.port = port;
		b.database = database;
		b.basePath = basePath;
		b.signatures = signatures;
		b.messageRetention = messageRetention;
		b.keyRetention = keyRetention;
		b.clockSkew = clockSkew;
		b.maxBodyBytes = maxBodyBytes;
		b.signalRateLimit = signalRateLimit;
		b.signalRateWindow = signalRateWindow;
		b.wsPingInterval = wsPingInterval;
		b.wsPongTimeout = wsPongTimeout;
		b.wsCatchUpWindow = wsCatchUpWindow;
		b.wsMaxConnections = wsMaxConnections;
		b.pruneInterval = pruneInterval;
		b.trustProxy = trustProxy;
		b.workerThreads = workerThreads;
		b.durableCommits = durableCommits;
		b.postgresUrl = postgresUrl;
		b.siteDirectory = siteDirectory;
		b.sitePath = sitePath;
		b.limits = limits;
		b.keyFile = keyFile;
		b.signedWebSocket = signedWebSocket;
		return b;
	}

	/** {@code <felund.home>/relay/relay.db}, where {@code felund.home} defaults to {@code ~/.felund}. */
	static Path defaultDatabase() {
		return relayHome().resolve("relay.db");
	}

	/** {@code <felund.home>/relay}: the directory the relay owns when no other place is configured. */
	static Path relayHome() {
		String home = System.getProperty("felund.home");
		Path base = home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".felund") : Path.of(home);
		return base.resolve("relay");
	}

	/**
	 * The key file actually used: the configured one, else {@code relay.key} beside the SQLite database, else (with
	 * PostgreSQL) {@code <felund.home>/relay/relay.key}.
	 */
	public Path effectiveKeyFile() {
		if (keyFile != null) {
			return keyFile;
		}
		if (usesPostgres()) {
			return relayHome().resolve("relay.key");
		}
		Path parent = database.toAbsolutePath().getParent();
		return (parent == null ? Path.of(".") : parent).resolve("relay.key");
	}

	/** Mutable builder with the defaults described on {@link RelayConfig}. */
	public static final class Builder {
		private String bindHost = DEFAULT_BIND;
		private int port = DEFAULT_PORT;
		private Path database = defaultDatabase();
		private String basePath = "";
		private SignaturePolicy signatures = SignaturePolicy.COMPAT;
		private Duration messageRetention = Duration.ofDays(30);
		private Duration keyRetention = Duration.ofDays(30);
		private Duration clockSkew = Duration.ofSeconds(300);
		private int maxBodyBytes = 1024 * 1024;
		private int signalRateLimit = 20;
		private Duration signalRateWindow = Duration.ofSeconds(10);
		private Duration wsPingInterval = Duration.ofSeconds(15);
		private Duration wsPongTimeout = Duration.ofMillis(7500);
		private Duration wsCatchUpWindow = Duration.ofSeconds(120);
		private int wsMaxConnections = 10_000;
		private Duration pruneInterval = Duration.ofSeconds(60);
		private TrustProxy trustProxy = TrustProxy.LOOPBACK;
		private int workerThreads = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
		private boolean durableCommits;
		private String postgresUrl;
		private Path siteDirectory;
		private String sitePath = DEFAULT_SITE_PATH;
		private RelayLimits limits = RelayLimits.defaults();
		private Path keyFile;
		private boolean signedWebSocket;

		private Builder() {
		}

		public Builder limits(RelayLimits v) {
			limits = v;
			return this;
		}

		/** Changes some of the limits: {@code b.limits(l -> l.withMaxPageBytes(…))}. */
		public Builder limits(java.util.function.UnaryOperator<RelayLimits> change) {
			limits = change.apply(limits);
			return this;
		}

		public Builder keyFile(Path v) {
			keyFile = v;
			return this;
		}

		public Builder signedWebSocket(boolean v) {
			signedWebSocket = v;
			return this;
		}

		/** A SQLite file, or (see {@link RelayConfig#isPostgresUrl}) a PostgreSQL URL. */
		public Builder db(String fileOrUrl) {
			if (isPostgresUrl(fileOrUrl)) {
				postgresUrl = fileOrUrl.trim();
			} else {
				postgresUrl = null;
				database = Path.of(fileOrUrl);
			}
			return this;
		}

		public Builder postgresUrl(String v) {
			postgresUrl = v;
			return this;
		}

		public Builder siteDirectory(Path v) {
			siteDirectory = v;
			return this;
		}

		public Builder sitePath(String v) {
			sitePath = v;
			return this;
		}

		public Builder bindHost(String v) {
			bindHost = v;
			return this;
		}

		public Builder port(int v) {
			port = v;
			return this;
		}

		public Builder database(Path v) {
			database = v;
			return this;
		}

		public Builder basePath(String v) {
			basePath = v;
			return this;
		}

		public Builder signatures(SignaturePolicy v) {
			signatures = v;
			return this;
		}

		public Builder messageRetention(Duration v) {
			messageRetention = v;
			return this;
		}

		public Builder keyRetention(Duration v) {
			keyRetention = v;
			return this;
		}

		public Builder clockSkew(Duration v) {
			clockSkew = v;
			return this;
		}

		public Builder maxBodyBytes(int v) {
			maxBodyBytes = v;
			return this;
		}

		public Builder signalRateLimit(int v) {
			signalRateLimit = v;
			return this;
		}

		public Builder signalRateWindow(Duration v) {
			signalRateWindow = v;
			return this;
		}

		public Builder wsPingInterval(Duration v) {
			wsPingInterval = v;
			return this;
		}

		public Builder wsPongTimeout(Duration v) {
			wsPongTimeout = v;
			return this;
		}

		public Builder wsCatchUpWindow(Duration v) {
			wsCatchUpWindow = v;
			return this;
		}

		public Builder wsMaxConnections(int v) {
			wsMaxConnections = v;
			return this;
		}

		public Builder pruneInterval(Duration v) {
			pruneInterval = v;
			return this;
		}

		public Builder trustProxy(TrustProxy v) {
			trustProxy = v;
			return this;
		}

		public Builder workerThreads(int v) {
			workerThreads = v;
			return this;
		}

		public Builder durableCommits(boolean v) {
			durableCommits = v;
			return this;
		}

		public RelayConfig build() {
			return new RelayConfig(bindHost, port, database, basePath, signatures, messageRetention, keyRetention,
					clockSkew, maxBodyBytes, signalRateLimit, signalRateWindow, wsPingInterval, wsPongTimeout,
					wsCatchUpWindow, wsMaxConnections, pruneInterval, trustProxy, workerThreads, durableCommits,
					postgresUrl, siteDirectory, sitePath, limits, keyFile, signedWebSocket);
		}
	}
}
