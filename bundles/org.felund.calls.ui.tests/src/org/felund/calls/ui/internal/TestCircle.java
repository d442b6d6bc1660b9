package org.felund.calls.ui.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.felund.api.control.CallEvent;
import org.felund.api.control.ControlMessage;
import org.felund.api.model.ChatMessage;
import org.felund.calls.Calls;
import org.felund.calls.CallsOptions;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.webrtc.RtcRuntime;

/**
 * A real node (SQLite home, the core's control events) in a circle, with the real calls service, control plane only;
 * other members are real nodes too, whose control events reach this one as a transport would hand them over.
 */
final class TestCircle implements AutoCloseable {
	private static final String SECRET = "2b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfe";

	final Node node;
	final Calls calls;
	final String circle;
	private final Path dir;
	private final SqliteNodeStore store;
	private final RtcRuntime runtime = new RtcRuntime();
	private final List<AutoCloseable> others = new ArrayList<>();

	TestCircle(Path dir, String name) {
		this.dir = dir;
		store = SqliteNodeStore.open(dir.resolve(name), null);
		node = new Node(new JcaCryptoService(), store.messages(), store.state(), store.secrets(), NodeOptions.oneShot());
		node.setDisplayName(name);
		circle = node.joinCircle(SECRET, "127.0.0.1:1").circleId();
		calls = new Calls(node, node.controlEvents(), runtime, CallsOptions.defaults(), false);
		calls.start();
	}

	/** Another member of the circle, with a home of its own; it has sent a message, so its name is known. */
	Node member(String name) {
		SqliteNodeStore home = SqliteNodeStore.open(dir.resolve(name), null);
		Node other = new Node(new JcaCryptoService(), home.messages(), home.state(), home.secrets(),
				NodeOptions.oneShot());
		other.setDisplayName(name);
		if (!circle.equals(other.joinCircle(SECRET, "127.0.0.1:1").circleId())) {
			throw new AssertionError("not the same circle");
		}
		others.add(0, home);
		others.add(0, other);
		return other;
	}

	/** A call event another member sends, as it reaches this node (its wire copy, received as a transport would). */
	void from(Node other, CallEvent event) {
		ControlMessage sent = other.controlEvents().send(circle, event);
		ChatMessage wire = other.context().wireCopy(circle, sent.msgId()).orElseThrow();
		node.context().receive(circle, wire, "test", other.nodeId());
	}

	/** Control events reach the calls service through the node's change feed, a moment after they are stored. */
	static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + 5_000_000_000L;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - end > 0) {
				throw new AssertionError("Not within 5 s: " + what);
			}
			Thread.sleep(10);
		}
	}

	@Override
	public void close() throws Exception {
		calls.close();
		node.close();
		store.close();
		for (AutoCloseable c : others) {
			c.close();
		}
		runtime.close();
	}
}
