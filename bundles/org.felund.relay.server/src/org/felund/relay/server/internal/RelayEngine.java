package org.felund.relay.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.felund.api.crypto.CryptoService;
import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.internal.store.PostgresRelayStore;
import org.felund.relay.server.internal.store.RelayStore;
import org.felund.relay.server.internal.store.SqliteRelayStore;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The running parts of a relay: database, Netty server, worker threads and the prune task. Created and owned
 * by {@link org.felund.relay.server.RelayServer}.
 */
public final class RelayEngine {
	private static final System.Logger LOG = System.getLogger("org.felund.relay.server");
	private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;
	/** Requests waiting for a worker beyond this are answered 503 at once. */
	private static final int WORK_QUEUE = 10_000;

	private final RelayConfig config;
	private final RelayStore db;
	private final EventLoopGroup io;
	private final ExecutorService workers;
	private final ScheduledExecutorService maintenance;
	private final WebSocketHub hub;
	private final Channel serverChannel;
	private final ChannelGroup connections;
	private final RequestGate gate;
	private final ClientLimits limits;

	private RelayEngine(RelayConfig config, RelayStore db, EventLoopGroup io, ExecutorService workers,
			ScheduledExecutorService maintenance, WebSocketHub hub, Channel serverChannel, ChannelGroup connections,
			RequestGate gate, ClientLimits limits) {
		this.connections = connections;
		this.limits = limits;
		this.gate = gate;
		this.config = config;
		this.db = db;
		this.io = io;
		this.workers = workers;
		this.maintenance = maintenance;
		this.hub = hub;
		this.serverChannel = serverChannel;
	}

	/** Opens the database and binds the listening socket. */
	public static RelayEngine start(RelayConfig config, CryptoService crypto, Clock clock) throws IOException {
		RelayStore db = openStore(config);
		EventLoopGroup io = null;
		ExecutorService workers = null;
		ScheduledExecutorService maintenance = null;
		try {
			KeySealer sealer = SealedKeys.open(config, db);
			WebSocketHub hub = new WebSocketHub(config.wsMaxConnections(), clock);
			StaticSite site = config.siteDirectory() == null ? null
					: new StaticSite(config.siteDirectory(), config.sitePath());
			ClientLimits limits = new ClientLimits(config.limits(), config.trustProxy(),
					config.signalRateWindow().toMillis());
			db.startDelivery(hub);
			RelayApi api = new RelayApi(config, db, crypto, clock, limits, sealer);
			// One I/O thread per core: every extra one costs the writer another wake-up per group commit.
			io = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), threads("felund-relay-io"),
					NioIoHandler.newFactory());
			// Storage work waits here, never on I/O threads; a full queue answers 503 instead of piling up.
			workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
					new ArrayBlockingQueue<>(WORK_QUEUE), threads("felund-relay-worker"));
			ChannelGroup connections = new DefaultChannelGroup("felund-relay", GlobalEventExecutor.INSTANCE);
			RequestGate gate = new RequestGate();
			ServerBootstrap bootstrap = new ServerBootstrap()
					.group(io)
					.channel(NioServerSocketChannel.class)
					.option(ChannelOption.SO_BACKLOG, 1024)
					.option(ChannelOption.SO_REUSEADDR, true)
					.childOption(ChannelOption.TCP_NODELAY, true)
					.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
					.childHandler(new RelayServerInitializer(config, api, db, hub, workers, clock, connections, gate,
							site, limits));
			Channel server;
			try {
				server = bootstrap.bind(config.bindHost(), config.port()).syncUninterruptibly().channel();
			} catch (Exception e) {
				throw new IOException("cannot listen on " + config.bindHost() + ":" + config.port() + ": " + e.getMessage(),
						e);
			}
			maintenance = Executors.newSingleThreadScheduledExecutor(threads("felund-relay-prune"));
			long period = config.pruneInterval().toMillis();
			maintenance.scheduleWithFixedDelay(() -> {
				prune(db, config, clock);
				limits.prune();
			}, period, period, TimeUnit.MILLISECONDS);
			RelayEngine engine = new RelayEngine(config, db, io, workers, maintenance, hub, server, connections, gate,
					limits);
			LOG.log(System.Logger.Level.INFO, "felund relay listening on " + engine.address().getHostString() + ":"
					+ engine.address().getPort() + " (signatures "
					+ config.signatures().name().toLowerCase(java.util.Locale.ROOT) + ", base path '"
					+ config.basePath() + "', database " + db.backend()
					+ (site == null ? "" : ", site " + config.siteDirectory() + " under " + site.prefix() + "/") + ")");
			return engine;
		} catch (IOException | SQLException | RuntimeException e) {
			if (maintenance != null) {
				maintenance.shutdownNow();
			}
			if (io != null) {
				io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
			}
			if (workers != null) {
				workers.shutdownNow();
			}
			db.close();
			if (e instanceof SQLException sql) {
				throw new IOException("relay database " + describeDatabase(config) + ": " + sql.getMessage(), sql);
			}
			if (e instanceof IOException failure) {
				throw failure;
			}
			throw (RuntimeException) e;
		}
	}

	/** The database for logs: the SQLite file, or the PostgreSQL URL without its password. */
	public static String describeDatabase(RelayConfig config) {
		return config.usesPostgres() ? PostgresRelayStore.describe(config.postgresUrl()) : config.database().toString();
	}

	/** The configured store: PostgreSQL when a URL is given, else the SQLite file. */
	static RelayStore openStore(RelayConfig config) throws IOException {
		try {
			if (config.usesPostgres()) {
				return PostgresRelayStore.open(config.postgresUrl(), Math.min(config.workerThreads(), 12));
			}
			return SqliteRelayStore.open(config.database(), config.durableCommits(), config.workerThreads() + 2);
		} catch (SQLException e) {
			String where = config.usesPostgres() ? PostgresRelayStore.describe(config.postgresUrl())
					: config.database().toString();
			throw new IOException("cannot open relay database " + where + ": " + e.getMessage(), e);
		}
	}

	private static void prune(RelayStore db, RelayConfig config, Clock clock) {
		try {
			long millis = clock.millis();
			long now = Math.floorDiv(millis, 1000L);
			var r = db.prune(now, now - config.messageRetention().toSeconds(), now - config.clockSkew().toSeconds(),
					millis - 2 * config.signalRateWindow().toMillis(), config.pruneInterval().toSeconds());
			LOG.log(System.Logger.Level.DEBUG, () -> r.map(x -> "pruned " + x).orElse("pruned by another instance"));
		} catch (SQLException | RuntimeException e) {
			LOG.log(System.Logger.Level.WARNING, "pruning expired rows failed: " + e);
		}
	}

	public InetSocketAddress address() {
		return (InetSocketAddress) serverChannel.localAddress();
	}

	/** Active WebSocket subscribers. */
	public int webSocketCount() {
		return hub.connectionCount();
	}

	/** Bytes of answers written to connections whose clients have not taken them yet. */
	public long unreadAnswerBytes() {
		return limits.outboundBytes();
	}

	/** Stops accepting, closes sockets, lets running requests finish, then closes the database. */
	public void stop() {
		int port = address().getPort();
		serverChannel.close().syncUninterruptibly();
		hub.closeAll();
		try {
			// Let the close frames go out (also to sockets whose handshake was still in flight) before the
			// connections are cut below.
			hub.awaitAllClosed(2000);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		maintenance.shutdownNow();
		// Requests already being handled finish and get their answers; new ones are turned away (503).
		try {
			if (!gate.closeAndAwaitIdle(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				LOG.log(System.Logger.Level.WARNING, "requests still running after " + SHUTDOWN_TIMEOUT_SECONDS
						+ " s; closing their connections");
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		// Close connections while all executors still run, so their pipelines are torn down cleanly.
		connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		io.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS).syncUninterruptibly();
		workers.shutdown();
		try {
			if (!workers.awaitTermination(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				workers.shutdownNow();
			}
			maintenance.awaitTermination(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		db.close();
		LOG.log(System.Logger.Level.INFO, "felund relay on port " + port + " stopped");
	}

	private static ThreadFactory threads(String prefix) {
		AtomicInteger n = new AtomicInteger();
		return r -> {
			Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
	}
}
