package org.felund.node.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.felund.api.model.ChatMessage;
import org.felund.api.transport.TransportContext.NodeEvents;
import org.felund.protocol.invite.InviteCodes;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.protocol.wire.Json;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class NodeCliTest {
	private static final JcaCryptoService CRYPTO = new JcaCryptoService();

	@TempDir
	Path tmp;
	private final List<Home> homes = new ArrayList<>();

	/** A real node in a temporary home, and what it handed to transports. */
	private final class Home implements AutoCloseable {
		final Path dir;
		final AtomicLong clock = new AtomicLong(1767225600L);
		final SqliteNodeStore store;
		final Node node;
		final List<String> circles = new CopyOnWriteArrayList<>();
		final List<ChatMessage> announced = new CopyOnWriteArrayList<>();
		final MemoryConfigurations configurations = MemoryConfigurations.withTheUsualPlugins();
		String out;
		String err;

		Home(String name) {
			this(name, true);
		}

		/** @param gossip whether a (detached) gossip transport configured for 127.0.0.1:9999 is installed */
		Home(String name, boolean gossip) {
			dir = tmp.resolve(name);
			store = SqliteNodeStore.open(dir, null);
			node = new Node(CRYPTO, store.messages(), store.state(), store.secrets(),
					NodeOptions.oneShot().withClock(clock::get));
			node.context().addListener(new NodeEvents() {
				@Override
				public void messageStored(String circleId, ChatMessage message, String origin) {
					circles.add(circleId);
					announced.add(message);
				}
			});
			if (gossip) {
				node.addDetached(new org.felund.api.transport.Transport() {
					@Override
					public String id() {
						return "gossip";
					}

					@Override
					public void attach(org.felund.api.transport.TransportContext context) {
						throw new AssertionError("one-shot commands attach no transport");
					}

					@Override
					public void detach() {
					}

					@Override
					public org.felund.api.transport.TransportState state() {
						return org.felund.api.transport.TransportState.offline("detached");
					}

					@Override
					public List<org.felund.api.transport.Endpoint> configuredEndpoints() {
						return List.of(new org.felund.api.transport.Endpoint("gossip",
								org.felund.api.transport.Endpoint.Kind.DIRECT, "127.0.0.1:9999"));
					}
				});
			}
			homes.add(this);
		}

		int run(String... args) {
			return runWithInput("", args);
		}

		int runWithInput(String stdin, String... args) {
			return runWithBytes(stdin.getBytes(StandardCharsets.UTF_8), args);
		}

		int runWithBytes(byte[] stdin, String... args) {
			ByteArrayOutputStream o = new ByteArrayOutputStream();
			ByteArrayOutputStream e = new ByteArrayOutputStream();
			int code = new NodeCli(node, new java.io.ByteArrayInputStream(stdin),
					new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
					dir.resolve(CliState.FILE_NAME), new java.util.concurrent.CountDownLatch(1), configurations)
					.run(List.of(args));
			out = o.toString(StandardCharsets.UTF_8);
			err = e.toString(StandardCharsets.UTF_8);
			return code;
		}

		/** Runs with secrets from {@code env} (instead of the process environment) and no terminal. */
		int runWithSecrets(Map<String, String> env, String stdin, String... args) {
			ByteArrayOutputStream o = new ByteArrayOutputStream();
			ByteArrayOutputStream e = new ByteArrayOutputStream();
			java.io.InputStream input = new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
			int code = new NodeCli(node, input, new PrintStream(o, true, StandardCharsets.UTF_8),
					new PrintStream(e, true, StandardCharsets.UTF_8), dir.resolve(CliState.FILE_NAME),
					new java.util.concurrent.CountDownLatch(1), configurations,
					new SecretInput(input, env::get, () -> null)).run(List.of(args));
			out = o.toString(StandardCharsets.UTF_8);
			err = e.toString(StandardCharsets.UTF_8);
			return code;
		}

		JsonNode json(String... args) {
			assertEquals(NodeCli.OK, run(args), err);
			return Json.parse(out.strip());
		}

		/** What a transport would carry from this home to {@code to}. */
		void deliverTo(Home to, String circleId) throws InterruptedException {
			assertTrue(node.awaitEvents(Duration.ofSeconds(10)));
			for (int i = 0; i < announced.size(); i++) {
				if (circles.get(i).equals(circleId)) {
					to.node.context().receive(circleId, announced.get(i), "test", node.nodeId());
				}
			}
			circles.clear();
			announced.clear();
		}

		@Override
		public void close() {
			node.close();
			store.close();
		}
	}

	@AfterEach
	void closeHomes() {
		homes.forEach(Home::close);
	}

	private static void assertOneLineError(Home h) {
		assertTrue(h.err.startsWith("felund-node: "), h.err);
		assertEquals(1, h.err.strip().lines().count(), h.err);
		assertEquals("", h.out);
	}

	@Test
	void helpListsEveryCommandAndExitsZero() {
		Home h = new Home("a");
		for (String[] args : new String[][] { {}, { "--help" }, { "help" }, { "--home", "/x", "--help" } }) {
			assertEquals(NodeCli.OK, h.run(args));
			for (String command : List.of("init", "invite", "join", "circles", "send", "inbox", "peers", "channel create",
					"channel join", "channel leave", "channel switch")) {
				assertTrue(h.out.contains(command), command);
			}
			assertEquals("", h.err);
		}
		assertTrue(NodeCli.isHelp(List.of()));
		assertFalse(NodeCli.isHelp(List.of("circles")));
	}

	@Test
	void retentionIsEverythingUntilChosenPerCircleOrChannelAndCanBeTakenBack() {
		Home h = new Home("a");
		h.run("init", "--name", "alice");
		String circleId = h.json("invite", "--name", "Book Club", "--json").get("circle_id").asText();
		assertEquals(NodeCli.OK, h.run("channel", "create", "random"), h.err);
		for (int i = 0; i < 5; i++) {
			h.run("send", "--channel", "random", "random " + i);
			h.run("send", "general " + i);
			h.clock.addAndGet(86_400);
		}
		JsonNode all = h.json("retention", "--json");
		assertTrue(all.get("circles").get(0).get("keeps").isNull(), all.toString());
		assertEquals(NodeCli.OK, h.run("retention"), h.err);
		assertTrue(h.out.startsWith("Book Club  keeps everything"), h.out);
		assertTrue(h.out.contains("  #random  as the circle"), h.out);

		assertEquals(NodeCli.OK, h.run("retention", "set", "--channel", "#Random", "--messages", "2"), h.err);
		assertEquals("Book Club #random keeps the newest 2 messages", h.out.strip());
		assertEquals(2, h.json("inbox", "--channel", "random", "--json").get("messages").size(), "pruned at once");
		assertEquals(NodeCli.OK, h.run("retention", "set", "--circle", circleId, "--days", "3", "--messages", "100"));
		assertEquals("Book Club keeps 3 days, at most the newest 100 messages", h.out.strip());
		JsonNode set = h.json("retention", "--circle", "Book Club", "--json").get("circles").get(0);
		assertEquals(3, set.get("keeps").get("days").asInt());
		assertEquals(2, set.get("channels").get(1).get("keeps").get("messages").asInt());
		assertEquals(3, h.json("inbox", "--json").get("messages").size(), "#general keeps its last 3 days");

		assertEquals(NodeCli.OK, h.run("retention", "unset", "--channel", "random"), h.err);
		assertEquals("Book Club #random keeps what Book Club keeps (3 days, at most the newest 100 messages)",
				h.out.strip());
		assertEquals(NodeCli.OK, h.run("retention", "set", "--all"), h.err);
		assertEquals("Book Club keeps everything", h.out.strip());

		for (String[] bad : new String[][] { { "retention", "set" }, { "retention", "set", "--all", "--days", "2" },
				{ "retention", "frob" }, { "retention", "set", "--days", "x" } }) {
			assertEquals(NodeCli.USAGE, h.run(bad), String.join(" ", bad));
			assertOneLineError(h);
		}
		for (String[] bad : new String[][] { { "retention", "set", "--days", "0" },
				{ "retention", "set", "--days", "99999" }, { "retention", "set", "--channel", "nope", "--all" } }) {
			assertEquals(NodeCli.FAILED, h.run(bad), String.join(" ", bad));
			assertOneLineError(h);
		}
	}

	@Test
	void unknownCommandsAndOptionsAreUsageErrors() {
		Home h = new Home("a");
		for (String[] args : new String[][] { { "frobnicate" }, { "circles", "--jsn" }, { "send" },
				{ "init", "--name" }, { "init" }, { "channel" }, { "channel", "dance" }, { "invite", "--json=yes" },
				{ "init", "--name", "a", "--name", "b" }, { "inbox", "--limit", "many" } }) {
			assertEquals(NodeCli.USAGE, h.run(args), String.join(" ", args));
			assertOneLineError(h);
		}
	}

	@Test
	void sendStdinSendsEachLineAndPrintsEachIdOnceStored() {
		Home h = new Home("a");
		h.run("init", "--name", "alice");
		String circleId = h.json("invite", "--json").get("circle_id").asText();
		assertEquals(NodeCli.OK, h.runWithInput("first line\n\n  \nsecond — ünïcödé\r\nthird", "send", "--stdin"), h.err);
		List<String> ids = h.out.strip().lines().toList();
		assertEquals(3, ids.size(), h.out);
		JsonNode inbox = h.json("inbox", "--circle", circleId, "--json");
		List<String> texts = new java.util.ArrayList<>();
		List<String> stored = new java.util.ArrayList<>();
		inbox.get("messages").forEach(m -> {
			texts.add(m.get("text").asText());
			stored.add(m.get("msg_id").asText());
			// Own messages carry their delivery state; nobody else has these yet.
			assertEquals("sent", m.get("delivery").get("status").asText(), m.toString());
			assertEquals(0, m.get("delivery").get("path").size(), m.toString());
		});
		// messages of the same second may be listed in any order
		assertEquals(List.of("first line", "second — ünïcödé", "third"), texts.stream().sorted().toList());
		assertEquals(ids.stream().sorted().toList(), stored.stream().sorted().toList());

		assertEquals(NodeCli.USAGE, h.runWithInput("x", "send", "--stdin", "also text"));
		assertOneLineError(h);
		assertEquals(NodeCli.OK, h.runWithInput("", "send", "--stdin"), "no input, nothing sent");
		assertEquals("", h.out);

		String tooLong = "x".repeat(5000);
		assertEquals(NodeCli.FAILED, h.runWithInput("fourth\n" + tooLong + "\nsixth", "send", "--stdin"));
		assertEquals(1, h.err.strip().lines().count(), h.err);
		assertTrue(h.err.contains("line 2 was not sent, nor any after it"), h.err);
		assertEquals(1, h.out.strip().lines().count(), "the line before was sent and acknowledged: " + h.out);
		List<String> after = new java.util.ArrayList<>();
		h.json("inbox", "--circle", circleId, "--json").get("messages").forEach(m -> after.add(m.get("text").asText()));
		assertTrue(after.contains("fourth") && !after.contains("sixth"), after.toString());

		byte[] broken = { 'o', 'k', '\n', 'b', (byte) 0xc3, '(', '\n', 'n', 'o', '\n' };
		assertEquals(NodeCli.FAILED, h.runWithBytes(broken, "send", "--stdin"));
		assertTrue(h.err.contains("line 2 of standard input is not valid UTF-8"), h.err);
		assertEquals(1, h.out.strip().lines().count(), "only the line before was sent: " + h.out);
	}

	@Test
	void initNamesTheNodeAndWritesTheTransportsConfigurations() {
		Home h = new Home("a");
		assertEquals(NodeCli.OK, h.run("init", "--name", "alice", "--bind", "127.0.0.1", "--port", "9123", "--relay",
				"https://relay.example.org", "--home", "ignored"));
		assertTrue(h.out.contains("gossip on 127.0.0.1:9123, relay https://relay.example.org"), h.out);
		assertEquals(Map.of("bindHost", "127.0.0.1", "port", 9123), h.configurations.stored.get(NodeCli.GOSSIP_PID));
		assertArrayEquals(new String[] { "https://relay.example.org" },
				(String[]) h.configurations.stored.get(NodeCli.RELAY_PID).get("urls"));
		JsonNode me = h.json("whoami", "--json");
		assertEquals("alice", me.get("display_name").asText());
		assertEquals(h.node.nodeId(), me.get("node_id").asText());
		assertTrue(me.get("endpoints").isArray());

		assertEquals(NodeCli.FAILED, h.run("init", "--name", "bob", "--port", "70000"));
		assertOneLineError(h);
		assertEquals(NodeCli.FAILED, h.run("init", "--name", "bob", "--relay", "https://a,https://b,https://c,"
				+ "https://d,https://e,https://f,https://g,https://h,https://i"));
		assertEquals(NodeCli.USAGE, h.run("init", "--name", "  "));
		assertEquals(NodeCli.USAGE, h.run("init", "--name", "bob", "--port", "x"));
		assertEquals("alice", h.node.identity().displayName(), "a failed init changes nothing");
		assertEquals(9123, h.configurations.stored.get(NodeCli.GOSSIP_PID).get("port"));

		h.configurations.installed.remove(NodeCli.RELAY_PID);
		assertEquals(NodeCli.FAILED, h.run("init", "--name", "bob", "--relay", "https://relay.example.org"));
		assertEquals("felund-node: the relay transport is not installed", h.err.strip());
		assertEquals(NodeCli.OK, h.run("init", "--name", "bob"), "the name alone needs no plugin");
	}

	@Test
	void twoHomesShareACircleByInviteCodeWithTheSameIdAndHint() throws Exception {
		Home a = new Home("a");
		Home b = new Home("b");
		a.run("init", "--name", "alice");
		b.run("init", "--name", "bob");
		JsonNode invite = a.json("invite", "--json", "--peer", "127.0.0.1:9999");
		String circleId = invite.get("circle_id").asText();
		String code = invite.get("code").asText();
		assertEquals(List.of("circle_id", "circle_hint", "code"), fieldNames(invite));
		assertEquals("127.0.0.1:9999", InviteCodes.decode(code).peer());

		assertEquals(NodeCli.OK, b.run("join", "--code", code));
		assertTrue(b.out.contains(circleId), b.out);
		JsonNode aCircles = a.json("circles", "--json");
		JsonNode bCircles = b.json("circles", "--json");
		assertEquals(aCircles.get("circles").get(0).get("circle_id"), bCircles.get("circles").get(0).get("circle_id"));
		assertEquals(invite.get("circle_hint"), bCircles.get("circles").get(0).get("circle_hint"));
		assertEquals("127.0.0.1:9999", bCircles.get("circles").get(0).get("bootstrap_peer").asText());

		assertEquals(NodeCli.OK, a.run("send", "--circle", circleId, "hello", "bob", "✓"));
		String msgId = a.out.strip();
		a.deliverTo(b, circleId);
		JsonNode inbox = b.json("inbox", "--circle", circleId.substring(0, 6), "--json");
		JsonNode m = inbox.get("messages").get(0);
		assertEquals(List.of("msg_id", "channel_id", "author_node_id", "display_name", "created_ts", "text"), fieldNames(m));
		assertEquals(msgId, m.get("msg_id").asText());
		assertEquals("hello bob ✓", m.get("text").asText());
		assertEquals("alice", m.get("display_name").asText());
		assertEquals("general", m.get("channel_id").asText());
		assertTrue(m.get("created_ts").isIntegralNumber());

		assertEquals(NodeCli.OK, b.run("inbox"));
		assertTrue(b.out.contains("alice: hello bob ✓"), b.out);
	}

	@Test
	void inboxTellsThePathOfOwnMessagesAsTheTransportsReportedItAndSentWhileNobodyHasThem() {
		Home h = new Home("a");
		h.run("init", "--name", "alice");
		String circleId = h.json("invite", "--json").get("circle_id").asText();
		assertEquals(NodeCli.OK, h.run("send", "over the hills"), h.err);
		String far = h.out.strip();
		assertEquals(NodeCli.OK, h.run("send", "and nobody has this one"), h.err);
		String alone = h.out.strip();
		String bob = "0f3c5a9e2b7d41c8a6e0d2b1";
		// What the transports report as peers accept it: gossip from a member, then a relay.
		h.clock.addAndGet(2);
		h.node.context().delivered(circleId, far, "gossip", bob, org.felund.api.model.Delivery.Route.DIRECT);
		h.clock.addAndGet(3);
		h.node.context().delivered(circleId, far, "relay", "http://127.0.0.1:8080", org.felund.api.model.Delivery.Route.RELAY);

		JsonNode messages = h.json("inbox", "--json").get("messages");
		assertEquals(2, messages.size(), messages.toString());
		JsonNode delivered = messages.get(0).get("delivery");
		assertEquals(far, messages.get(0).get("msg_id").asText());
		assertEquals("delivered", delivered.get("status").asText());
		assertEquals(Json.parse("[{\"transport\":\"gossip\",\"peer\":\"" + bob + "\",\"route\":\"direct\",\"ts\":1767225602},"
				+ "{\"transport\":\"relay\",\"peer\":\"http://127.0.0.1:8080\",\"route\":\"relay\",\"ts\":1767225605}]"),
				delivered.get("path"));
		assertEquals(alone, messages.get(1).get("msg_id").asText());
		assertEquals("sent", messages.get(1).get("delivery").get("status").asText());
		assertEquals(0, messages.get(1).get("delivery").get("path").size());

		assertEquals(NodeCli.OK, h.run("inbox"), h.err);
		List<String> lines = h.out.strip().lines().toList();
		assertEquals(2, lines.size(), h.out);
		assertTrue(lines.get(0).endsWith("alice: over the hills  \u2713 gossip \u2192 0f3c5a9e (direct),"
				+ " relay \u2192 http://127.0.0.1:8080 (relay)"), lines.get(0));
		assertTrue(lines.get(1).endsWith("alice: and nobody has this one  \u25cb sent"), lines.get(1));
	}

	@Test
	void secretsComeFromStandardInputOrTheEnvironmentInsteadOfTheCommandLine() throws Exception {
		String secret = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
		Home a = new Home("a");
		a.run("init", "--name", "alice");
		JsonNode invite = a.json("invite", "--json", "--peer", "127.0.0.1:9999");
		String code = invite.get("code").asText();
		String circleId = invite.get("circle_id").asText();

		Home b = new Home("b");
		assertEquals(NodeCli.OK, b.runWithSecrets(Map.of(), code + "\n", "join", "--code", "-"), b.err);
		assertTrue(b.out.contains(circleId), b.out);
		Home c = new Home("c");
		assertEquals(NodeCli.OK, c.runWithSecrets(Map.of(SecretInput.ENV_CODE, code), "", "join"), c.err);
		assertTrue(c.out.contains(circleId), c.out);
		Home d = new Home("d");
		assertEquals(NodeCli.OK, d.runWithSecrets(Map.of(), "  " + secret + "\n", "join", "--secret", "-", "--peer",
				"127.0.0.1:9999"), d.err);
		assertTrue(d.out.startsWith("circle 630dcd2966c4336691125448"), d.out);
		Home e = new Home("e");
		assertEquals(NodeCli.OK, e.runWithSecrets(Map.of(SecretInput.ENV_SECRET, secret), "", "join"), e.err);
		assertTrue(e.out.startsWith("circle 630dcd2966c4336691125448"), e.out);
		// Nothing on standard input, nothing in the environment, no terminal: a usage error that says where to put it.
		Home f = new Home("f");
		assertEquals(NodeCli.USAGE, f.runWithSecrets(Map.of(), "", "join", "--code", "-"));
		assertOneLineError(f);
		assertEquals(NodeCli.USAGE, f.runWithSecrets(Map.of(), "", "join"));
		assertTrue(f.err.contains(SecretInput.ENV_CODE), f.err);

		// A channel key from standard input when creating, from the environment when joining.
		assertEquals(NodeCli.OK, d.runWithSecrets(Map.of(), "sesame\n", "channel", "create", "vault", "--mode", "key",
				"--key", "-"), d.err);
		d.deliverTo(e, "630dcd2966c4336691125448");
		assertEquals(NodeCli.FAILED, e.runWithSecrets(Map.of(SecretInput.ENV_CHANNEL_KEY, "wrong"), "", "channel",
				"join", "vault"));
		assertEquals(NodeCli.OK, e.runWithSecrets(Map.of(SecretInput.ENV_CHANNEL_KEY, "sesame"), "", "channel", "join",
				"vault"), e.err);
	}

	@Test
	void legacyJoinBySecretGivesTheSameCircle() {
		Home h = new Home("a");
		String secret = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
		assertEquals(NodeCli.OK, h.run("join", "--secret", secret, "--peer", "127.0.0.1:9999"));
		assertTrue(h.out.startsWith("circle 630dcd2966c4336691125448 (hint e03c84dccc271635)"), h.out);
		assertEquals(NodeCli.FAILED, h.run("join", "--secret", "abcd"));
		assertOneLineError(h);
		assertEquals(NodeCli.FAILED, h.run("join", "--secret", secret, "--peer", "localhost"));
		assertEquals(NodeCli.USAGE, h.run("join", "--code", "felund1.x", "--secret", secret));
		assertEquals(NodeCli.USAGE, h.run("join"));
	}

	@Test
	void anInviteWithoutAnyAdvertisedAddressNeedsAPeerAndCreatesNothing() {
		Home h = new Home("a", false);
		assertEquals(NodeCli.FAILED, h.run("invite", "--json"));
		assertTrue(h.err.contains("No transport advertises an address"), h.err);
		assertTrue(h.node.circles().isEmpty());
		assertEquals("127.0.0.1:9999",
				InviteCodes.decode(h.json("invite", "--json", "--peer", "127.0.0.1:9999").get("code").asText()).peer());
	}

	@Test
	void badInputFailsWithOneLineAndLosesNothing() {
		Home h = new Home("a");
		assertEquals(NodeCli.FAILED, h.run("send", "hi"), "no circle yet");
		assertOneLineError(h);
		assertEquals(NodeCli.FAILED, h.run("invite", "--peer", "relay"));
		assertOneLineError(h);
		assertTrue(h.node.circles().isEmpty(), "a bad --peer creates no circle");
		String circle = h.json("invite", "--json").get("circle_id").asText();
		h.run("send", "kept");
		long seq = h.store.messages().lastSeq();
		for (String[] args : new String[][] { { "send", "--circle", "nope", "x" }, { "send", "--channel", "nowhere", "x" },
				{ "send", " " }, { "inbox", "--limit", "0" }, { "join", "--code", "felund1.%%%" },
				{ "channel", "join", "missing" }, { "channel", "create", "Bad Name" }, { "channel", "leave", "general" } }) {
			assertEquals(NodeCli.FAILED, h.run(args), String.join(" ", args));
			assertOneLineError(h);
		}
		assertEquals(seq, h.store.messages().lastSeq());
		assertEquals(1, h.node.history(circle, "general", null, 10).size());
		h.json("invite", "--json");
		assertEquals(NodeCli.USAGE, h.run("send", "x"), "two circles: --circle is required");
		assertOneLineError(h);
	}

	@Test
	void channelCommandsAndTheDefaultChannel() throws Exception {
		Home a = new Home("a");
		Home b = new Home("b");
		String code = a.json("invite", "--json", "--name", "Book Club").get("code").asText();
		b.run("join", code);
		assertEquals(NodeCli.OK, a.run("channel", "create", "#Games"));
		assertEquals("created #games (public)\n", a.out);
		assertEquals(NodeCli.OK, a.run("channel", "create", "vault", "--mode", "key", "--key", "hunter2"));
		assertEquals(NodeCli.USAGE, a.run("channel", "create", "x", "--mode", "secret"));
		assertEquals(NodeCli.USAGE, a.run("channel", "create", "x", "--key", "k"));
		String circleId = a.node.circles().get(0).circleId();
		a.deliverTo(b, circleId);

		assertEquals(NodeCli.OK, b.run("channel", "join", "games", "--circle", "book club"));
		assertEquals(NodeCli.FAILED, b.run("channel", "join", "vault", "--key", "wrong"));
		assertEquals(NodeCli.OK, b.run("channel", "join", "vault", "--key", "hunter2"));
		assertEquals(NodeCli.OK, b.run("channel", "switch", "games"));
		assertEquals(NodeCli.OK, b.run("send", "on games"));
		JsonNode channels = b.json("channel", "list", "--json");
		JsonNode games = channels.get("channels").get(1);
		assertEquals("games", games.get("channel_id").asText());
		assertTrue(games.get("current").asBoolean());
		assertEquals(List.of("channel_id", "access_mode", "owner_node_id", "members", "pending", "current"),
				fieldNames(games));
		b.deliverTo(a, circleId);
		JsonNode inbox = a.json("inbox", "--channel", "games", "--json");
		assertEquals("on games", inbox.get("messages").get(0).get("text").asText());
		assertEquals(0, a.json("inbox", "--json").get("messages").size(), "general stays empty");

		assertEquals(NodeCli.OK, b.run("channel", "leave", "games"));
		assertFalse(b.json("channel", "list", "--json").get("channels").get(1).get("current").asBoolean(),
				"leaving the current channel goes back to general");
		assertEquals(NodeCli.OK, b.run("send", "back on general"));
		assertEquals("general", b.node.history(circleId, "general", null, 1).get(0).channelId());
	}

	@Test
	void invitePrintsTheCircleAndPeersAreListed() {
		Home h = new Home("a");
		assertEquals(NodeCli.OK, h.run("invite"));
		List<String> lines = h.out.lines().toList();
		assertEquals(2, lines.size());
		assertTrue(lines.get(0).startsWith("circle "), lines.get(0));
		assertTrue(lines.get(1).startsWith("felund1."), lines.get(1));
		assertFalse(InviteCodes.decode(lines.get(1)).peer().isEmpty());
		JsonNode peers = h.json("peers", "--json");
		assertEquals(0, peers.get("peers").size());
		String circleId = h.node.circles().get(0).circleId();
		h.node.context().peerSeen(circleId, new org.felund.api.model.Peer("bbf62e8177bf53f94c4c67fd", "127.0.0.1:9998", 5),
				"gossip");
		JsonNode one = h.json("peers", "--json").get("peers").get(0);
		assertEquals(List.of("circle_id", "node_id", "addr", "last_seen"), fieldNames(one));
		assertEquals("127.0.0.1:9998", one.get("addr").asText());
	}

	private static List<String> fieldNames(JsonNode o) {
		List<String> names = new ArrayList<>();
		o.fieldNames().forEachRemaining(names::add);
		return names;
	}
}
