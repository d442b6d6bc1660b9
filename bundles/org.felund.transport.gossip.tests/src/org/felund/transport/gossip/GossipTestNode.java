package org.felund.transport.gossip;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.core.node.MessageFactory;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.core.node.NodeSettings;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.testsupport.ForwardingContext;

/** A real node (SQLite store, JCA crypto, core Node) with a gossip transport on loopback. */
public final class GossipTestNode implements AutoCloseable {
	public static final JcaCryptoService CRYPTO = new JcaCryptoService();

	public final Path home;
	public final SqliteNodeStore store;
	public final Node node;
	public final GossipTransport gossip;
	/** What the node attached: {@link #gossip} seen through {@link #context}. */
	private final org.felund.api.transport.Transport attached;
	/** The context {@link #gossip} runs with: the node's, with the anchor offer and endpoints under test control. */
	public volatile ForwardingContext context;

	private GossipTestNode(Path home, SqliteNodeStore store, Node node, GossipTransport gossip, boolean canAnchor) {
		this.home = home;
		this.store = store;
		this.node = node;
		this.gossip = gossip;
		this.attached = ForwardingContext.wrap(gossip, c -> context = new ForwardingContext(c, canAnchor));
	}

	public static GossipTestNode start(Path home, GossipOptions options) {
		return start(home, options, null, false);
	}

	public static GossipTestNode start(Path home, GossipOptions options, String nodeId, boolean canAnchor) {
		SqliteNodeStore store = SqliteNodeStore.open(home, null);
		if (nodeId != null) {
			store.state().putSetting(NodeSettings.NODE_ID, nodeId);
		}
		Node node = new Node(CRYPTO, store.messages(), store.state(), store.secrets(), NodeOptions.oneShot());
		GossipTestNode n = new GossipTestNode(home, store, node, new GossipTransport(options), canAnchor);
		node.attach(n.attached);
		return n;
	}

	/** A node whose clock (node and gossip) runs {@code offsetSeconds} ahead of this machine's (behind if negative). */
	public static GossipTestNode startSkewed(Path home, GossipOptions options, long offsetSeconds) {
		SqliteNodeStore store = SqliteNodeStore.open(home, null);
		java.util.function.LongSupplier clock = () -> System.currentTimeMillis() / 1000 + offsetSeconds;
		Node node = new Node(CRYPTO, store.messages(), store.state(), store.secrets(),
				NodeOptions.oneShot().withClock(clock));
		java.security.SecureRandom random = new java.security.SecureRandom();
		GossipTransport gossip = new GossipTransport(options, () -> {
			byte[] nonce = new byte[16];
			random.nextBytes(nonce);
			return java.util.HexFormat.of().formatHex(nonce);
		}, clock);
		GossipTestNode n = new GossipTestNode(home, store, node, gossip, false);
		node.attach(n.attached);
		return n;
	}

	/** Options for fast tests: loopback, free port, a long interval unless a test asks for rounds. */
	public static GossipOptions fast() {
		return GossipOptions.loopback().withInterval(Duration.ofSeconds(60)).withTimeouts(Duration.ofSeconds(2),
				Duration.ofSeconds(5)).withMaxBackoff(Duration.ofMillis(500));
	}

	/** Detaches gossip from the node, as the node does when the transport's service goes away. */
	public void detachGossip() {
		node.detach(attached);
	}

	/** Attaches gossip again, as the node does when the transport's service comes back. */
	public void attachGossip() {
		node.attach(attached);
	}

	public String addr() {
		return "127.0.0.1:" + gossip.boundPort();
	}

	public String nodeId() {
		return node.identity().nodeId();
	}

	/**
	 * Empties the circle's messages of a node that has just joined it: its own join announcement goes, the circle and
	 * its key stay. For replays of reference transcripts, whose nodes hold only the transcript's messages.
	 */
	public void dropJoinAnnouncement(String circleId) {
		if (count(circleId) != 1) {
			throw new IllegalStateException("Expected only the join announcement, found " + count(circleId));
		}
		store.messages().deleteCircle(circleId);
	}

	public Set<String> ids(String circleId) {
		return new HashSet<>(store.messages().messageIds(circleId));
	}

	public long count(String circleId) {
		return store.messages().count(circleId, null, null);
	}

	/** Puts {@code n} valid messages straight into the store (fast setup of a large history). */
	public List<ChatMessage> seed(String circleId, String secretHex, int n, long firstTs) {
		CircleCrypto cc = CRYPTO.forCircle(CircleSecret.fromHex(secretHex));
		List<ChatMessage> atRest = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			atRest.add(MessageFactory.create(CRYPTO, cc, "general", nodeId(), "seed", "message " + i, firstTs + i)
					.ciphertextOnly());
		}
		for (int i = 0; i < atRest.size(); i += 5000) {
			store.messages().putAll(atRest.subList(i, Math.min(atRest.size(), i + 5000)));
		}
		return atRest;
	}

	public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("Timed out waiting for " + what);
			}
			Thread.sleep(20);
		}
	}

	private boolean closed;

	@Override
	public synchronized void close() {
		if (closed) {
			return;
		}
		closed = true;
		try {
			node.detach(attached);
		} finally {
			try {
				node.close();
			} finally {
				store.close();
			}
		}
	}
}
