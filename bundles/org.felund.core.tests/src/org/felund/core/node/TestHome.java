package org.felund.core.node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.felund.api.model.ChatMessage;
import org.felund.api.transport.TransportContext.NodeEvents;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;

/** A real node on a real store in a temporary home, with a clock the test moves. */
final class TestHome implements AutoCloseable {
	static final JcaCryptoService CRYPTO = new JcaCryptoService();

	final Path dir;
	final AtomicLong clock;
	final SqliteNodeStore store;
	final Node node;
	/** Every messageStored notification the node gave its transports. */
	final List<ChatMessage> announced = new CopyOnWriteArrayList<>();
	final List<String> origins = new CopyOnWriteArrayList<>();
	/** The circle of each entry of {@link #announced}. */
	final List<String> circles = new CopyOnWriteArrayList<>();

	TestHome(Path dir, long startSeconds) {
		this(dir, new AtomicLong(startSeconds), NodeOptions.oneShot());
	}

	TestHome(Path dir, AtomicLong clock, NodeOptions options) {
		this.dir = dir;
		this.clock = clock;
		this.store = SqliteNodeStore.open(dir, null);
		this.node = new Node(CRYPTO, store.messages(), store.state(), store.secrets(), options.withClock(clock::get));
		node.context().addListener(new NodeEvents() {
			@Override
			public void messageStored(String circleId, ChatMessage message, String originTransportId) {
				circles.add(circleId);
				announced.add(message);
				origins.add(originTransportId);
			}
		});
	}

	/** Forgets what was announced so far. */
	void clearAnnounced() {
		circles.clear();
		announced.clear();
		origins.clear();
	}

	void settle() throws InterruptedException {
		if (!node.awaitEvents(java.time.Duration.ofSeconds(10))) {
			throw new AssertionError("node events did not drain");
		}
	}

	@Override
	public void close() {
		node.close();
		store.close();
	}
}
