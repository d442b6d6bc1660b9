package org.felund.ui.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.transport.gossip.GossipOptions;
import org.felund.transport.gossip.GossipTransport;

/**
 * A second Felund node in the test JVM: its own home, store and gossip server on loopback. It talks to the
 * workbench's node only over TCP on 127.0.0.1, as another computer would.
 */
final class HeadlessPeer implements AutoCloseable {
	final Path home;
	final SqliteNodeStore store;
	final Node node;
	final GossipTransport gossip;

	HeadlessPeer(String displayName) throws Exception {
		home = Files.createTempDirectory("felund-peer-");
		store = SqliteNodeStore.open(home, null);
		node = new Node(new JcaCryptoService(), store.messages(), store.state(), store.secrets(), NodeOptions.oneShot());
		node.setDisplayName(displayName);
		gossip = new GossipTransport(GossipOptions.loopback().withInterval(Duration.ofSeconds(1)));
		node.attach(gossip);
	}

	/** host:port of this peer's gossip server. */
	String address() {
		return "127.0.0.1:" + gossip.boundPort();
	}

	@Override
	public void close() throws Exception {
		node.close();
		store.close();
		try (Stream<Path> files = Files.walk(home)) {
			files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
	}
}
