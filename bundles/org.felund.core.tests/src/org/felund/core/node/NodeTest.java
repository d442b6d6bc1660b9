package org.felund.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.node.CreatedCircle;
import org.felund.api.node.NodeIdentity;
import org.felund.api.node.NodeListener;
import org.felund.api.node.RelaySigner;
import org.felund.api.node.Retention;
import org.felund.api.store.RetentionPolicy;
import org.felund.api.transport.ReceiveResult;
import org.felund.protocol.control.ControlEvents;
import org.felund.api.control.ChannelEvent;
import org.felund.protocol.invite.InviteCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTest {
	private static final long T0 = 1767225600L;

	@TempDir
	Path tmp;

	/** Delivers every message {@code from} announced to {@code to}, as a transport would. */
	private static void deliver(TestHome from, TestHome to, String circleId) throws InterruptedException {
		from.settle();
		for (int i = 0; i < from.announced.size(); i++) {
			if (!from.circles.get(i).equals(circleId)) {
				continue;
			}
			ChatMessage m = from.announced.get(i);
			ReceiveResult r = to.node.context().receive(circleId, m, "test", from.node.nodeId());
			assertTrue(r != ReceiveResult.REJECTED, "rejected " + m);
		}
		from.clearAnnounced();
	}

	@Test
	void identityIsCreatedOnceAndPersistedWithTheDisplayName() {
		String id;
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			NodeIdentity first = a.node.identity();
			id = first.nodeId();
			assertTrue(id.matches("[0-9a-f]{24}"), id);
			assertEquals("anon", first.displayName());
			a.node.setDisplayName(" Alice ");
		}
		try (TestHome again = new TestHome(tmp.resolve("a"), T0)) {
			assertEquals(id, again.node.identity().nodeId());
			assertEquals("Alice", again.node.identity().displayName());
		}
	}

	@Test
	void aHomeWithOnlyApi01TransportSettingsAdvertisesNothingOfThem() {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			// What API 0.1 kept with the node is only read by the one-time migration into Configuration Admin.
			a.store.state().putSetting("node.bind", "127.0.0.1");
			a.store.state().putSetting("node.port", "9876");
			a.store.state().putSetting("node.can_anchor", "true");
			String circle = a.node.createCircle("").circle().circleId();
			assertThrows(IllegalArgumentException.class, () -> a.node.inviteCode(circle, null),
					"only transports advertise where the node is reachable");
			assertFalse(a.node.context().canAnchor(), "only an anchor policy offers anchoring");
			assertEquals(new NodeIdentity(a.node.nodeId(), "anon"), a.node.identity());
		}
	}

	@Test
	void badDisplayNamesAreRefusedAndNothingChanges() {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			NodeIdentity before = a.node.identity();
			assertThrows(IllegalArgumentException.class, () -> a.node.setDisplayName(""));
			assertThrows(IllegalArgumentException.class, () -> a.node.setDisplayName("n".repeat(41)));
			assertEquals(before, a.node.identity());
		}
	}

	@Test
	void twoHomesShareACircleByInviteCodeAndExchangeMessages() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0); TestHome b = new TestHome(tmp.resolve("b"), T0)) {
			a.node.setDisplayName("alice");
			b.node.setDisplayName("bob");
			a.node.addDetached(StubTransport.direct("127.0.0.1:9999"));
			CreatedCircle created = a.node.createCircle("Book Club");
			String circleId = created.circle().circleId();
			assertEquals("Book Club", created.circle().name());
			assertTrue(created.inviteCode().startsWith("felund1."));
			assertFalse(InviteCodes.decode(created.inviteCode()).peer().isEmpty(), "invites always name a peer");

			Circle joined = b.node.joinCircle(created.inviteCode());
			assertEquals(circleId, joined.circleId());
			assertEquals(created.circle().circleHint(), joined.circleHint());
			assertEquals(joined, b.node.joinCircle(created.inviteCode()), "joining twice returns the circle");
			assertEquals(List.of("general"), b.node.channels(circleId).stream().map(Channel::channelId).toList());

			ChatMessage hello = a.node.send(circleId, null, "hello bob ✓");
			assertEquals(2, hello.schemaVersion());
			assertFalse(hello.mac().isEmpty());
			assertTrue(hello.enc() != null);
			deliver(a, b, circleId);

			assertEquals("Book Club", b.node.circle(circleId).orElseThrow().name(), "CIRCLE_NAME_EVT applied");
			List<ChatMessage> bHistory = b.node.history(circleId, "general", null, 10);
			assertEquals(1, bHistory.size());
			assertEquals("hello bob ✓", bHistory.get(0).text());
			assertEquals("alice", bHistory.get(0).displayName());
			assertEquals("alice", b.node.members(circleId).stream()
					.filter(m -> m.nodeId().equals(a.node.nodeId())).findFirst().orElseThrow().displayName());

			b.clock.addAndGet(5);
			b.node.send(circleId, "#General", "hi alice");
			deliver(b, a, circleId);
			List<ChatMessage> aHistory = a.node.history(circleId, "general", null, 10);
			assertEquals(List.of("hi alice", "hello bob ✓"), aHistory.stream().map(ChatMessage::text).toList(),
					"newest first");
		}
	}

	@Test
	void channelLifecycleEmitsControlEventsThatPeersApply() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0); TestHome b = new TestHome(tmp.resolve("b"), T0)) {
			String c = a.node.createCircle("").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(c, "127.0.0.1:9999"));
			String alice = a.node.nodeId();
			String bob = b.node.nodeId();

			Channel games = a.node.createChannel(c, "#Games", AccessMode.PUBLIC, null);
			assertEquals("games", games.channelId());
			assertEquals(alice, games.ownerNodeId());
			a.node.createChannel(c, "vip", AccessMode.INVITE, null);
			a.node.createChannel(c, "vault", AccessMode.KEY, "hunter2");
			assertThrows(IllegalArgumentException.class, () -> a.node.createChannel(c, "games", AccessMode.PUBLIC, null));
			assertThrows(IllegalArgumentException.class, () -> a.node.createChannel(c, "café", AccessMode.PUBLIC, null));
			assertThrows(IllegalArgumentException.class, () -> a.node.createChannel(c, "vault2", AccessMode.KEY, ""));
			a.settle();
			List<String> texts = a.announced.stream().filter(ChatMessage::isControl).map(ChatMessage::text).toList();
			ChannelEvent create = (ChannelEvent) ControlEvents.parse(texts.get(0)).orElseThrow();
			assertEquals(ChannelEvent.Op.CREATE, create.op());
			assertEquals(alice, create.createdBy(), "interactive-client fields");
			deliver(a, b, c);

			assertEquals(List.of("general", "games", "vault", "vip"),
					b.node.channels(c).stream().map(Channel::channelId).toList());
			b.node.joinChannel(c, "games", null);
			assertThrows(IllegalArgumentException.class, () -> b.node.joinChannel(c, "vault", "wrong"));
			b.node.joinChannel(c, "vault", "hunter2");
			assertThrows(IllegalArgumentException.class, () -> b.node.joinChannel(c, "vip", null));
			assertThrows(IllegalArgumentException.class, () -> b.node.send(c, "vip", "let me in"));
			b.node.requestChannel(c, "vip");
			assertThrows(IllegalArgumentException.class, () -> b.node.approveChannel(c, "vip", bob),
					"only the owner approves");
			deliver(b, a, c);

			assertEquals(Set.of(bob), channel(a, c, "vip").pendingRequests());
			assertTrue(channel(a, c, "games").members().contains(bob));
			a.node.approveChannel(c, "vip", bob);
			deliver(a, b, c);
			assertTrue(channel(b, c, "vip").members().contains(bob));
			b.node.send(c, "vip", "thanks");
			b.node.leaveChannel(c, "games");
			assertThrows(IllegalArgumentException.class, () -> b.node.leaveChannel(c, "general"));
			assertThrows(IllegalArgumentException.class, () -> b.node.leaveChannel(c, "games"));
			deliver(b, a, c);
			assertFalse(channel(a, c, "games").members().contains(bob));
			assertEquals("thanks", a.node.history(c, "vip", null, 1).get(0).text());
			assertThrows(IllegalArgumentException.class, () -> a.node.send(c, "nowhere", "x"));
			assertThrows(IllegalArgumentException.class, () -> a.node.send(c, "__control", "x"));
		}
	}

	private static Channel channel(TestHome h, String circleId, String id) {
		return h.node.channels(circleId).stream().filter(ch -> ch.channelId().equals(id)).findFirst().orElseThrow();
	}

	@Test
	void renamingTheNodeAnnouncesTheNameInEveryCircle() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0); TestHome b = new TestHome(tmp.resolve("b"), T0)) {
			String c = a.node.createCircle("").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(c, "127.0.0.1:9999"));
			a.node.createCircle("");
			a.settle();
			a.clearAnnounced();
			a.node.setDisplayName("Alice Ä.");
			a.settle();
			assertEquals(2, a.announced.stream().filter(ChatMessage::isControl).count(), "one rename per circle");
			deliver(a, b, c);
			assertEquals("Alice Ä.", b.store.state().displayName(c, a.node.nodeId()).orElseThrow());
			a.node.setDisplayName("Alice Ä.");
			a.settle();
			assertTrue(a.announced.isEmpty(), "no event for an unchanged name");
		}
	}

	@Test
	void badInputIsRefusedWithAMessageAndStoresNothing() {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			String c = a.node.createCircle("").circle().circleId();
			long before = a.store.messages().lastSeq();
			for (Runnable bad : List.<Runnable>of(() -> a.node.send(c, null, "  "),
					() -> a.node.send(c, null, "x".repeat(Node.MAX_TEXT_BYTES + 1)),
					() -> a.node.send(c, null, "broken \ud800"), () -> a.node.send("nope", null, "x"),
					() -> a.node.joinCircle("felund1.!!!"), () -> a.node.joinCircle("abcd", ""),
					() -> a.node.joinCircle("0".repeat(64), "localhost"), () -> a.node.renameCircle(c, " "),
					() -> a.node.createCircle("n".repeat(41)), () -> a.node.history(c, null, null, 0),
					() -> a.node.leaveCircle("nope"), () -> a.node.inviteCode(c, "relay"))) {
				IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
				assertFalse(e.getMessage() == null || e.getMessage().isBlank());
			}
			assertEquals(before, a.store.messages().lastSeq());
			assertEquals(1, a.node.circles().size());
		}
	}

	@Test
	void leavingACircleForgetsItsMessagesAndSecret() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			String c = a.node.createCircle("gone").circle().circleId();
			a.node.send(c, null, "bye");
			a.node.leaveCircle(c);
			assertTrue(a.node.circles().isEmpty());
			assertEquals(0, a.store.messages().count(c, null, null));
			assertTrue(a.store.secrets().get(c).isEmpty());
			assertTrue(a.node.context().circles().isEmpty());
		}
	}

	@Test
	void relaySignerSignsAsProtocol38AndStopsOnceTheCircleIsLeft() throws Exception {
		String secretHex = "5a".repeat(32);
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			String c = a.node.joinCircle(secretHex, "127.0.0.1:9").circleId();
			assertTrue(a.node.relaySigner("0".repeat(24)).isEmpty(), "no signer for a circle the node is not in");
			RelaySigner signer = a.node.relaySigner(c).orElseThrow();
			byte[] body = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
			// K_api = HMAC(S, "api-v1"); signature = HMAC(K_api, METHOD + path + hex(SHA-256(body)) + ts + nonce)
			byte[] kApi = hmac(HexFormat.of().parseHex(secretHex), "api-v1".getBytes(StandardCharsets.UTF_8));
			String canonical = "POST/signal" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body))
					+ "1767225600" + "ab".repeat(16);
			String expected = HexFormat.of().formatHex(hmac(kApi, canonical.getBytes(StandardCharsets.UTF_8)));
			assertEquals(expected, signer.sign("POST", "/signal", body, 1767225600L, "ab".repeat(16)));
			a.node.leaveCircle(c);
			assertTrue(a.node.relaySigner(c).isEmpty());
			assertThrows(IllegalStateException.class,
					() -> signer.sign("POST", "/signal", body, 1767225600L, "ab".repeat(16)),
					"a signer handed out before leaving signs no more");
		}
	}

	private static byte[] hmac(byte[] key, byte[] data) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key, "HmacSHA256"));
		return mac.doFinal(data);
	}

	@Test
	void messagesStoredByAnotherProcessOnTheSameHomeAreAnnounced() throws Exception {
		Path home = tmp.resolve("shared");
		try (TestHome running = new TestHome(home, T0); TestHome cli = new TestHome(home, T0)) {
			assertEquals(running.node.nodeId(), cli.node.nodeId(), "one home, one node id");
			String c = cli.node.createCircle("").circle().circleId();
			List<String> added = new CopyOnWriteArrayList<>();
			List<ChatMessage> shown = new CopyOnWriteArrayList<>();
			running.node.addListener(new NodeListener() {
				@Override
				public void messageAdded(ChatMessage message) {
					shown.add(message);
				}
			});
			running.node.context().addListener(new org.felund.api.transport.TransportContext.NodeEvents() {
				@Override
				public void circleAdded(String circleId) {
					added.add(circleId);
				}
			});
			ChatMessage sent = cli.node.send(c, null, "from the CLI");
			running.node.pollChangeFeed();
			running.settle();
			assertEquals(List.of(c), added);
			assertEquals(List.of("from the CLI"), shown.stream().map(ChatMessage::text).toList());
			assertTrue(running.announced.stream().anyMatch(m -> m.msgId().equals(sent.msgId())));
			assertTrue(running.origins.contains(Node.STORE_ORIGIN));
			int before = running.announced.size();
			running.node.pollChangeFeed();
			running.node.send(c, null, "from the node itself");
			running.node.pollChangeFeed();
			running.settle();
			assertEquals(before + 1, running.announced.size(), "nothing announced twice");
		}
	}

	@Test
	void changeFeedTimerAnnouncesWithoutBeingAsked() throws Exception {
		Path home = tmp.resolve("timed");
		AtomicLong clock = new AtomicLong(T0);
		NodeOptions fast = NodeOptions.oneShot().withFeedPollInterval(Duration.ofMillis(50));
		try (TestHome running = new TestHome(home, clock, fast); TestHome cli = new TestHome(home, T0)) {
			String c = cli.node.createCircle("").circle().circleId();
			ChatMessage sent = cli.node.send(c, null, "tick");
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (running.announced.stream().noneMatch(m -> m.msgId().equals(sent.msgId()))) {
				assertTrue(System.nanoTime() < deadline, "the feed timer never announced the message");
				Thread.sleep(20);
			}
		}
	}

	@Test
	void retentionPrunesOldMessages() throws Exception {
		AtomicLong clock = new AtomicLong(T0);
		NodeOptions opts = NodeOptions.oneShot().withRetention(new RetentionPolicy(3600, 3, Map.of()));
		try (TestHome a = new TestHome(tmp.resolve("a"), clock, opts)) {
			String c = a.node.createCircle("").circle().circleId();
			a.node.send(c, null, "old");
			clock.addAndGet(7200);
			for (int i = 0; i < 4; i++) {
				clock.incrementAndGet();
				a.node.send(c, null, "new " + i);
			}
			assertTrue(a.node.pruneNow() >= 2);
			List<String> left = a.node.history(c, "general", null, 10).stream().map(ChatMessage::text).toList();
			assertEquals(List.of("new 3", "new 2", "new 1"), left);
		}
	}
	@Test
	void byDefaultANodeKeepsAllItsHistory() throws Exception {
		assertEquals(RetentionPolicy.KEEP_ALL, NodeOptions.defaults().retention());
		try (TestHome a = new TestHome(tmp.resolve("a"), new AtomicLong(T0), NodeOptions.oneShot())) {
			String c = a.node.createCircle("").circle().circleId();
			var cc = TestHome.CRYPTO.forCircle(a.store.secrets().get(c).orElseThrow());
			List<ChatMessage> old = new java.util.ArrayList<>();
			for (int i = 0; i < 10_000; i++) {
				// a year of history, older than the reference's 30 days and more than its 1,000 messages
				old.add(MessageFactory.create(TestHome.CRYPTO, cc, "general", "0123456789abcdef01234567", "rob",
						"message " + i, T0 - 365L * 86_400 + i * 3_000L).ciphertextOnly());
			}
			a.store.messages().putAll(old);
			assertEquals(0, a.node.pruneNow());
			assertEquals(10_000, a.store.messages().count(c, null, null) - controlCount(a, c));
			assertTrue(a.node.retention(c, null).isEmpty(), "no choice was made");
		}
	}

	@Test
	void aCirclesAndAChannelsOwnHistoryChoicesAreKeptAndApplied() throws Exception {
		AtomicLong clock = new AtomicLong(T0);
		try (TestHome a = new TestHome(tmp.resolve("a"), clock, NodeOptions.oneShot())) {
			String c = a.node.createCircle("").circle().circleId();
			String other = a.node.createCircle("").circle().circleId();
			a.node.createChannel(c, "random", AccessMode.PUBLIC, null);
			a.node.createChannel(c, "notes", AccessMode.PUBLIC, null);
			for (int i = 0; i < 10; i++) {
				for (String ch : List.of("general", "random", "notes")) {
					a.node.send(c, ch, ch + " " + i);
				}
				a.node.send(other, "general", "other " + i);
				clock.addAndGet(86_400);
			}
			a.node.setRetention(c, "#Notes", Retention.KEEP_ALL);
			a.node.setRetention(c, "random", Retention.days(2));
			assertEquals(10, texts(a, c, "general").size(), "a channel's choice is the channel's");
			a.node.setRetention(c, null, Retention.messages(3));
			assertEquals(java.util.Optional.of(Retention.messages(3)), a.node.retention(c, null));
			assertEquals(java.util.Optional.of(Retention.KEEP_ALL), a.node.retention(c, "notes"));
			assertEquals(java.util.Optional.of(Retention.days(2)), a.node.retention(c, "random"));
			assertEquals(List.of("general 9", "general 8", "general 7"), texts(a, c, "general"), "the circle's choice");
			assertEquals(List.of("random 9", "random 8"), texts(a, c, "random"), "the channel's own age limit");
			assertEquals(10, texts(a, c, "notes").size(), "a channel that keeps all, in a circle that does not");
			assertEquals(10, texts(a, other, "general").size(), "other circles keep theirs");
			assertEquals(2, a.node.history(c, ChatMessage.CONTROL, null, 100).size(),
					"the two channel creations, ten days old, are not pruned: control events never are");

			a.node.setRetention(c, null, null);
			assertTrue(a.node.retention(c, null).isEmpty(), "a choice taken back");
			assertThrows(IllegalArgumentException.class, () -> a.node.setRetention(c, "nope", Retention.KEEP_ALL));
			assertThrows(IllegalArgumentException.class, () -> a.node.setRetention("unknown", null, Retention.KEEP_ALL));
			assertThrows(IllegalArgumentException.class, () -> Retention.days(-1));
		}
		try (TestHome again = new TestHome(tmp.resolve("a"), clock, NodeOptions.oneShot())) {
			String c = again.node.circles().stream().filter(x -> again.node.channels(x.circleId()).size() == 3)
					.findFirst().orElseThrow().circleId();
			assertEquals(java.util.Optional.of(Retention.days(2)), again.node.retention(c, "random"), "kept in the home");
		}
	}

	@Test
	void aJoinNobodyAnswersTellsWhatTheTransportsReportedUntilSomeoneAnswers() throws Exception {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0); TestHome b = new TestHome(tmp.resolve("b"), T0)) {
			a.node.addDetached(StubTransport.direct("127.0.0.1:9999"));
			String circle = a.node.createCircle("").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, null));
			assertTrue(b.node.contactFailures(circle).isEmpty(), "nothing tried yet");
			b.node.context().unreachable("gossip", circle, "127.0.0.1:9999", "Connection refused");
			b.clock.incrementAndGet();
			b.node.context().unreachable("relay", circle, "https://relay.example", "");
			assertEquals(List.of("relay https://relay.example no answer", "gossip 127.0.0.1:9999 Connection refused"),
					b.node.contactFailures(circle).stream().map(f -> f.transportId() + " " + f.peer() + " " + f.reason())
							.toList());
			b.clock.incrementAndGet();
			a.node.send(circle, null, "hello");
			deliver(a, b, circle);
			assertTrue(b.node.contactFailures(circle).isEmpty(), "someone answered");
		}
	}

	@Test
	void theSetupAnswerIsKeptInTheHome() {
		try (TestHome a = new TestHome(tmp.resolve("a"), T0)) {
			assertFalse(a.node.setupComplete());
			a.node.completeSetup();
			assertTrue(a.node.setupComplete());
		}
		try (TestHome again = new TestHome(tmp.resolve("a"), T0)) {
			assertTrue(again.node.setupComplete());
		}
	}

	private static List<String> texts(TestHome home, String circleId, String channelId) {
		return home.node.history(circleId, channelId, null, 100).stream().map(ChatMessage::text).toList();
	}

	private static long controlCount(TestHome home, String circleId) {
		return home.node.history(circleId, ChatMessage.CONTROL, null, 1000).size();
	}
}
