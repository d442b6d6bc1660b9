package org.felund.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.felund.api.control.CallEvent;
import org.felund.api.control.ChannelEvent;
import org.felund.api.control.ControlEventService;
import org.felund.api.control.ControlListener;
import org.felund.api.control.ControlMessage;
import org.felund.api.model.AccessMode;
import org.felund.api.model.ChatMessage;
import org.felund.api.transport.ReceiveResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Control events reach plugins once each, in acceptance order, from every origin; plugins send them too. */
class ControlEventServiceTest {
	private static final long T0 = 1767225600L;
	private static final String SESSION = "5e555e555e555e555e555e555e555e55";

	@TempDir
	Path tmp;

	private record Heard(String type, String msgId, String author, String origin) {
	}

	private static List<Heard> listen(ControlEventService service) {
		List<Heard> heard = new CopyOnWriteArrayList<>();
		service.addListener((m, origin) -> heard.add(new Heard(m.event().type(), m.msgId(), m.authorNodeId(), origin)));
		return heard;
	}

	@Test
	void localReceivedAndForeignEventsAreHeardOnceInAcceptanceOrder() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0); TestHome b = new TestHome(tmp.resolve("b"), T0)) {
			String circle = a.node.createCircle("").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:9999"));
			List<Heard> atB = listen(b.node.controlEvents());

			ControlMessage start = a.node.controlEvents().send(circle,
					CallEvent.create(SESSION, a.node.nodeId(), circle, "general", T0));
			a.node.createChannel(circle, "dev", AccessMode.PUBLIC, null);
			a.settle();
			List<ChatMessage> fromA = List.copyOf(a.announced);
			List<ReceiveResult> results = b.node.context().receiveAll(circle, fromA, "gossip", a.node.nodeId());
			assertTrue(results.stream().allMatch(r -> r == ReceiveResult.STORED), results.toString());
			b.node.context().receiveAll(circle, fromA, "relay", a.node.nodeId()); // the same again, by another way
			b.settle();
			assertEquals(List.of(new Heard(CallEvent.TYPE, start.msgId(), a.node.nodeId(), "gossip"),
					new Heard(ChannelEvent.TYPE, fromA.get(fromA.size() - 1).msgId(), a.node.nodeId(), "gossip")),
					atB.stream().filter(h -> h.author().equals(a.node.nodeId())).toList());

			// Another process on b's home sends: b's running node hears it through the change feed, once.
			try (TestHome cli = new TestHome(tmp.resolve("b"), T0)) {
				ControlMessage left = cli.node.controlEvents().send(circle, CallEvent.participation(CallEvent.Op.LEAVE,
						SESSION, cli.node.nodeId(), cli.node.nodeId()));
				b.node.pollChangeFeed();
				b.node.pollChangeFeed();
				b.settle();
				assertEquals(List.of(new Heard(CallEvent.TYPE, left.msgId(), b.node.nodeId(), Node.STORE_ORIGIN)),
						atB.stream().filter(h -> h.msgId().equals(left.msgId())).toList());
			}

			List<Heard> atA = listen(a.node.controlEvents());
			ControlMessage mine = a.node.controlEvents().send(circle, CallEvent.end(SESSION, a.node.nodeId()));
			a.settle();
			assertEquals(List.of(new Heard(CallEvent.TYPE, mine.msgId(), a.node.nodeId(), Node.LOCAL_ORIGIN)), atA);
		}
	}

	@Test
	void historyRebuildsAPluginsStateOldestFirst() {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			String circle = a.node.createCircle("Club").circle().circleId();
			a.clock.addAndGet(10);
			ControlMessage start = a.node.controlEvents().send(circle,
					CallEvent.create(SESSION, a.node.nodeId(), circle, "general", a.clock.get()));
			a.clock.addAndGet(10);
			ControlMessage end = a.node.controlEvents().send(circle, CallEvent.end(SESSION, a.node.nodeId()));

			List<ControlMessage> all = a.node.controlEvents().history(circle, 0, 100);
			assertEquals(3, all.size(), "the circle's name, then the call");
			assertEquals(List.of(start, end), all.subList(1, 3));
			assertEquals(List.of(start, end), a.node.controlEvents().history(circle, T0 + 10, 100));
			assertEquals(List.of(start), a.node.controlEvents().history(circle, T0 + 1, 1), "the oldest first");
			assertThrows(IllegalArgumentException.class, () -> a.node.controlEvents().history(circle, 0, 0));
			assertThrows(IllegalArgumentException.class, () -> a.node.controlEvents().history("nope", 0, 10));
		}
	}

	@Test
	void whatWouldNotReadBackOrActsForAnotherNodeIsRefusedAndNothingIsStored() {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			String circle = a.node.createCircle("").circle().circleId();
			List<Heard> heard = listen(a.node.controlEvents());
			int before = a.node.controlEvents().history(circle, 0, 100).size();
			assertThrows(IllegalArgumentException.class, () -> a.node.controlEvents().send(circle,
					CallEvent.create(" ", a.node.nodeId(), circle, "general", T0)), "a blank session id");
			assertThrows(IllegalArgumentException.class, () -> a.node.controlEvents().send(circle,
					CallEvent.end(SESSION, "ffffffffffffffffffffffff")), "acting as someone else");
			assertThrows(IllegalArgumentException.class, () -> a.node.controlEvents().send("unknown",
					CallEvent.end(SESSION, a.node.nodeId())));
			assertThrows(NullPointerException.class, () -> a.node.controlEvents().send(circle, null));
			assertEquals(before, a.node.controlEvents().history(circle, 0, 100).size());
			assertTrue(heard.isEmpty());
		}
	}

	@Test
	void aFailingListenerDoesNotKeepEventsFromTheOthers() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			String circle = a.node.createCircle("").circle().circleId();
			ControlListener broken = (m, o) -> {
				throw new IllegalStateException("plugin bug");
			};
			a.node.controlEvents().addListener(broken);
			List<Heard> heard = listen(a.node.controlEvents());
			a.node.controlEvents().send(circle, CallEvent.create(SESSION, a.node.nodeId(), circle, "general", T0));
			a.node.controlEvents().removeListener(broken);
			a.settle();
			assertEquals(1, heard.size());
		}
	}

	@Test
	void callLinesFindTheirChannelWithoutAnyCallState() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			String circle = a.node.createCircle("").circle().circleId();
			a.node.createChannel(circle, "dev", AccessMode.PUBLIC, null);
			a.node.controlEvents().send(circle, CallEvent.create(SESSION, a.node.nodeId(), circle, "dev", T0));
			a.node.controlEvents().send(circle,
					CallEvent.participation(CallEvent.Op.JOIN, SESSION, a.node.nodeId(), a.node.nodeId()));
		}
		// A new process knows no session: the create is found in the stored history.
		try (TestHome again = new TestHome(tmp.resolve("a"), T0)) {
			String circle = again.node.circles().get(0).circleId();
			ChatMessage join = again.node.history(circle, ChatMessage.CONTROL, null, 10).stream()
					.filter(m -> m.text().contains("\"join\"")).findFirst().orElseThrow();
			var note = again.node.describe(join).orElseThrow();
			assertEquals("dev", note.channelId());
			assertEquals("anon joined the call", note.text());
		}
	}
}
