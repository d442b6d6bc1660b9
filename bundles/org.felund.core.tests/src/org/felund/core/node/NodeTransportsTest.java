package org.felund.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.felund.api.node.NodeListener;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTransportsTest {
	@TempDir
	Path tmp;

	/** Records what the node does to it. */
	private static final class RecordingTransport implements Transport {
		final List<String> calls = new CopyOnWriteArrayList<>();
		volatile TransportContext context;
		volatile TransportState state = new TransportState(TransportState.Mode.LIVE, 2, "test");

		@Override
		public String id() {
			return "rec";
		}

		@Override
		public void attach(TransportContext ctx) {
			context = ctx;
			calls.add("attach");
		}

		@Override
		public void detach() {
			calls.add("detach");
		}

		@Override
		public TransportState state() {
			return state;
		}

		@Override
		public void syncNow(String circleId) {
			calls.add("sync " + circleId);
		}
	}

	@Test
	void transportsAreAttachedAskedToSyncOnJoinAndDetachedOnClose() throws Exception {
		RecordingTransport t = new RecordingTransport();
		List<String> changes = new CopyOnWriteArrayList<>();
		try (TestHome a = new TestHome(tmp.resolve("a"), 1767225600L)) {
			a.node.addListener(new NodeListener() {
				@Override
				public void transportChanged(String transportId, TransportState state) {
					changes.add(transportId + ":" + state.mode());
				}
			});
			a.node.attach(t);
			a.node.attach(t);
			assertSame(a.node.context(), t.context);
			assertEquals(Map.of("rec", t.state), a.node.transports());
			String circle = a.node.joinCircle("00".repeat(32), "127.0.0.1:9999").circleId();
			assertEquals(List.of("attach", "sync " + circle), t.calls);
			assertEquals(1, t.context.circles().size());
			assertEquals(circle, t.context.circleByHint(a.node.circle(circle).orElseThrow().circleHint())
					.orElseThrow().circleId());
			t.state = TransportState.offline("gone");
			t.context.stateChanged(t);
			a.settle();
			assertEquals(List.of("rec:LIVE", "rec:OFFLINE"), changes);
		}
		assertEquals("detach", t.calls.get(t.calls.size() - 1));
	}

	@Test
	void aClosedNodeTakesNoTransport() {
		TestHome a = new TestHome(tmp.resolve("b"), 1767225600L);
		a.close();
		assertThrows(IllegalStateException.class, () -> a.node.attach(new RecordingTransport()));
		assertTrue(a.node.transports().isEmpty());
	}
}
