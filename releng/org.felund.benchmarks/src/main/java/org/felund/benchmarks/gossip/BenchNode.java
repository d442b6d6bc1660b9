package org.felund.benchmarks.gossip;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.core.node.MessageFactory;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTransport;

/** A real node for the gossip benchmark: SQLite store in a directory, JCA crypto, core Node, gossip on loopback. */
final class BenchNode implements AutoCloseable {
	static final JcaCryptoService CRYPTO = new JcaCryptoService();

	final SqliteNodeStore store;
	final Node node;
	final GossipTransport gossip;

	BenchNode(Path home) {
		store = SqliteNodeStore.open(home, null);
		node = new Node(CRYPTO, store.messages(), store.state(), store.secrets(), NodeOptions.oneShot());
		// Loopback on a free port; rounds rare enough not to interfere with the measured sync.
		GossipOptions options = GossipOptions.loopback().withInterval(Duration.ofSeconds(60))
				.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).withMaxBackoff(Duration.ofMillis(500));
		gossip = new GossipTransport(options);
		node.attach(gossip);
	}

	String addr() {
		return "127.0.0.1:" + gossip.boundPort();
	}

	String nodeId() {
		return node.identity().nodeId();
	}

	/** Puts {@code n} valid messages straight into the store (fast setup of a large history). */
	List<ChatMessage> seed(String circleId, String secretHex, int n, long firstTs) {
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

	static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("Timed out waiting for " + what);
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
