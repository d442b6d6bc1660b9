package org.felund.transport.relay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.felund.api.node.NodeIdentity;
import org.felund.api.node.NodeListener;
import org.felund.api.transport.TransportState;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;

/** A real node (SQLite home, JCA crypto, core Node) whose only transport is a relay client. */
public final class RelayTestNode implements AutoCloseable {
	public static final JcaCryptoService CRYPTO = new JcaCryptoService();

	public final Path home;
	public final SqliteNodeStore store;
	public final Node node;
	/** Every relay state the node reported to its listeners, in order. */
	public final List<TransportState.Mode> modes = new CopyOnWriteArrayList<>();
	public volatile RelayTransport relay;

	private RelayTestNode(Path home) {
		this.home = home;
		this.store = SqliteNodeStore.open(home, null);
		this.node = new Node(CRYPTO, store.messages(), store.state(), store.secrets(), NodeOptions.oneShot());
		node.addListener(new NodeListener() {
			@Override
			public void transportChanged(String transportId, TransportState state) {
				if (RelayTransport.ID.equals(transportId)) {
					if (modes.isEmpty() || modes.get(modes.size() - 1) != state.mode()) {
						modes.add(state.mode());
					}
				}
			}
		});
	}

	public static RelayTestNode create(Path home) {
		return new RelayTestNode(home);
	}

	public static RelayTestNode start(Path home, RelayOptions options) {
		RelayTestNode n = new RelayTestNode(home);
		n.attach(options);
		return n;
	}

	/** Fast cadence for loopback tests: short polls and back-off, a live poll long enough to prove pushes. */
	public static RelayOptions fast(String url) {
		return RelayOptions.fixed(url).withPollIntervals(Duration.ofMillis(250), Duration.ofSeconds(30))
				.withPresence(Duration.ofSeconds(30), Duration.ofMillis(300))
				.withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5))
				.withBackoff(Duration.ofMillis(100), Duration.ofMillis(800));
	}

	public RelayTransport attach(RelayOptions options) {
		relay = new RelayTransport(options);
		node.attach(relay);
		return relay;
	}

	public void detachRelay() {
		node.detach(relay);
	}

	public void canAnchor(boolean anchor) {
		NodeIdentity id = node.identity();
		node.configure(new NodeIdentity(id.nodeId(), id.displayName(), id.bindHost(), id.port(), id.relayUrl(), anchor));
	}

	public String nodeId() {
		return node.identity().nodeId();
	}

	public boolean has(String circleId, String msgId) {
		return store.messages().contains(circleId, msgId);
	}

	public long count(String circleId) {
		return store.messages().count(circleId, null, null);
	}

	public TransportState.Mode mode() {
		return relay.state().mode();
	}

	public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
		await(what, timeout, condition, () -> "");
	}

	/** Waits for {@code condition}; a timeout reports {@code diagnostics}. */
	public static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics)
			throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - end > 0) {
				throw new AssertionError(
						"Timed out after " + timeout.toMillis() + " ms waiting for " + what + ". " + diagnostics.get());
			}
			Thread.sleep(20);
		}
	}

	@Override
	public void close() {
		try {
			node.close();
		} finally {
			store.close();
		}
	}
}
