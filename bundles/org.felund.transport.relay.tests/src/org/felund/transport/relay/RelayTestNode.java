package org.felund.transport.relay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.felund.api.node.NodeListener;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportState;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.testsupport.ForwardingContext;

/** A real node (SQLite home, JCA crypto, core Node) whose only transport is a relay client. */
public final class RelayTestNode implements AutoCloseable {
	public static final JcaCryptoService CRYPTO = new JcaCryptoService();

	public final Path home;
	public final SqliteNodeStore store;
	public final Node node;
	/** Every relay state the node reported to its listeners, in order. */
	public final List<TransportState.Mode> modes = new CopyOnWriteArrayList<>();
	public volatile RelayTransport relay;
	/** What the node attached last: a transport seen through {@link #context}. */
	private volatile Transport attached;
	/**
	 * The context transports run with: the node's, with the anchor offer and the endpoint registry under test
	 * control (the node's own comes with the core's implementation of the API 0.2 seams).
	 */
	public final ForwardingContext[] context = new ForwardingContext[1];
	private volatile boolean canAnchor;

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
		attachTransport(relay);
		return relay;
	}

	/** Attaches any transport through this node's {@link ForwardingContext}. */
	public void attachTransport(Transport transport) {
		attached = ForwardingContext.wrap(transport, c -> {
			ForwardingContext f = new ForwardingContext(c, canAnchor);
			context[0] = f;
			return f;
		});
		node.attach(attached);
	}

	public void detachRelay() {
		node.detach(attached);
	}

	/** Whether this node offers to anchor (what its anchor policy would say); read by the relay at registration. */
	public void canAnchor(boolean anchor) {
		canAnchor = anchor;
		if (context[0] != null) {
			context[0].canAnchor(anchor);
		}
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
