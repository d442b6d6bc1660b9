package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.felund.api.cli.CommandContext;
import org.felund.api.cli.NodeCommand;
import org.felund.calls.internal.CallNodeCommand;
import org.felund.protocol.wire.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code felund-node call …} as a script uses it, on two real nodes (real relay, real webrtc-java over loopback): one
 * starts a call with the test tone and pattern, the other joins it by a prefix of its id with another tone and no
 * camera; the JSON lines each prints say what the other one's media is (the tone's frequency, the frame size), and the
 * call ends when the host's command is stopped. Bad usage is refused before anything happens.
 */
class CallNodeCommandTest {
	@TempDir
	Path tmp;

	@Test
	void startJoinStatusAndStopAScriptedCallWithTestSources() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				CallTestNode host = new CallTestNode(tmp.resolve("host"), "host", relay.url(), "silence", "none", 6);
				CallTestNode guest = new CallTestNode(tmp.resolve("guest"), "guest", relay.url(), "silence", "none",
						6)) {
			NodeCommand hostCommand = new CallNodeCommand(host.calls, host.node, host.calls::statistics, true);
			NodeCommand guestCommand = new CallNodeCommand(guest.calls, guest.node, guest.calls::statistics, true);
			assertEquals("call", hostCommand.name());

			Console hostConsole = new Console();
			AtomicInteger hostExit = new AtomicInteger(-1);
			Thread hosting = new Thread(() -> hostExit.set(run(hostCommand, hostConsole, "start", "--microphone",
					"tone:440", "--camera", "pattern:640x480@30", "--every", "0.5")), "call start");
			hosting.start();
			JsonNode started = hostConsole.next();
			assertEquals("started", started.get("event").asText(), started.toString());
			String session = started.get("session_id").asText();
			assertEquals(host.node.identity().nodeId(), started.get("host_node_id").asText());

			// The guest joins by a prefix of the id (waiting for the call to arrive), for 8 s.
			Console guestConsole = new Console();
			AtomicInteger guestExit = new AtomicInteger(-1);
			Thread joining = new Thread(() -> guestExit.set(run(guestCommand, guestConsole, "join",
					session.substring(0, 8), "--microphone", "tone:660", "--camera", "none", "--every", "0.5", "--for",
					"8")), "call join");
			joining.start();
			assertEquals("joined", guestConsole.next().get("event").asText());
			JsonNode heard = null;
			for (JsonNode line = guestConsole.next(); line.get("event").asText().equals("stats"); line = guestConsole
					.next()) {
				JsonNode peer = line.path("peers").path(0);
				if (Math.abs(peer.path("audio_in").path("dominant_hz").asDouble() - 440) < 5
						&& peer.path("video_in").path("width").asInt() == 640) {
					heard = line;
					break;
				}
			}
			assertTrue(heard != null, "the guest's stats lines never showed the host's tone and pattern");
			JsonNode peer = heard.path("peers").path(0);
			assertEquals(host.node.identity().nodeId(), peer.path("node_id").asText());
			assertEquals(480, peer.path("video_in").path("height").asInt(), peer.toString());
			assertEquals("test tone 660 Hz", heard.path("audio_source").asText());

			// status (one-shot) on the host: the call, both in it, and what the host receives.
			Console status = new Console();
			assertEquals(NodeCommand.OK, hostCommand.run(List.of("status"), status));
			JsonNode s = status.next();
			assertEquals(session, s.get("current").asText());
			JsonNode call = s.get("calls").get(0);
			assertEquals(List.of(host.node.identity().nodeId(), guest.node.identity().nodeId()),
					List.of(call.get("participants").get(0).asText(), call.get("participants").get(1).asText()));
			CallTestNode.await("the guest's 660 Hz at the host", () -> Math.abs(status(hostCommand)
					.path("statistics").path("peers").path(0).path("audio_in").path("dominant_hz").asDouble() - 660) < 5);

			// --for ran out: the guest leaves and says so; the host's media to it goes.
			joining.join(20_000);
			assertEquals(NodeCommand.OK, guestExit.get());
			assertEquals("left", guestConsole.last().get("event").asText());
			CallTestNode.await("the guest gone at the host",
					() -> host.calls.call(session).orElseThrow().participants().size() == 1);

			// Stopping the host's command ends the call everywhere.
			hostConsole.stop.countDown();
			hosting.join(20_000);
			assertEquals(NodeCommand.OK, hostExit.get());
			assertEquals("ended", hostConsole.last().get("event").asText());
			CallTestNode.await("the end at the guest", () -> guest.calls.call(session).orElseThrow().ended());
			Console afterwards = new Console();
			guestCommand.run(List.of("status"), afterwards);
			JsonNode after = afterwards.next();
			assertEquals("", after.get("current").asText());
			assertEquals(0, after.get("calls").size(), "status lists the calls that have not ended: " + after);
		}
	}

	@Test
	void badUsageIsRefusedBeforeAnythingHappens() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				CallTestNode a = new CallTestNode(tmp.resolve("a"), "a", relay.url(), "silence", "none", 6)) {
			NodeCommand command = new CallNodeCommand(a.calls, a.node, a.calls::statistics, true);
			Console c = new Console();
			assertThrows(IllegalArgumentException.class, () -> command.run(List.of(), c));
			assertThrows(IllegalArgumentException.class, () -> command.run(List.of("dial"), c));
			assertThrows(IllegalArgumentException.class, () -> command.run(List.of("start", "--every", "0"), c));
			assertThrows(IllegalArgumentException.class, () -> command.run(List.of("start", "--volume", "3"), c));
			assertThrows(IllegalArgumentException.class, () -> command.run(List.of("start", "--camera",
					"pattern:641x480@30"), c));
			assertThrows(IllegalArgumentException.class, () -> command.run(List.of("join"), c));
			assertThrows(IllegalStateException.class,
					() -> command.run(List.of("join", "feedfacefeedface", "--wait", "0.2"), c));
			assertThrows(IllegalStateException.class, () -> command.run(List.of("leave", "feedfacefeedface"), c));
			assertTrue(a.calls.current().isEmpty(), "no call was started");
			NodeCommand mediaLess = new CallNodeCommand(a.calls, a.node, a.calls::statistics, false);
			IllegalStateException e = assertThrows(IllegalStateException.class,
					() -> mediaLess.run(List.of("start"), c));
			assertTrue(e.getMessage().contains("runs no media"), e.getMessage());
			assertTrue(a.calls.current().isEmpty(), "no call was started");
		}
	}

	private static JsonNode status(NodeCommand command) {
		try {
			Console c = new Console();
			command.run(List.of("status"), c);
			return c.next();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return Json.object();
		}
	}

	private static int run(NodeCommand command, Console console, String... args) {
		try {
			return command.run(List.of(args), console);
		} catch (Exception e) {
			console.lines.add("{\"event\":\"error\",\"message\":" + Json.MAPPER.valueToTree(e.toString()) + "}");
			return -2;
		}
	}

	/** A command line: JSON lines out, a stop latch (Ctrl-C). */
	static final class Console implements CommandContext {
		final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		final CountDownLatch stop = new CountDownLatch(1);
		private volatile String last;
		private final PrintStream out = new PrintStream(new OutputStream() {
			private final ByteArrayOutputStream line = new ByteArrayOutputStream();

			@Override
			public synchronized void write(int b) {
				if (b == '\n') {
					lines.add(line.toString(StandardCharsets.UTF_8));
					line.reset();
				} else {
					line.write(b);
				}
			}
		}, true, StandardCharsets.UTF_8);

		JsonNode next() throws InterruptedException {
			String line = lines.poll(30, TimeUnit.SECONDS);
			assertTrue(line != null, "no line within 30 s");
			last = line;
			return Json.parse(line);
		}

		/** The last line printed, once the command returned. */
		JsonNode last() {
			String tail = last;
			for (String l; (l = lines.poll()) != null;) {
				tail = l;
			}
			return Json.parse(tail);
		}

		@Override
		public PrintStream out() {
			return out;
		}

		@Override
		public PrintStream err() {
			return out;
		}

		@Override
		public InputStream in() {
			return new ByteArrayInputStream(new byte[0]);
		}

		@Override
		public boolean awaitStop(Duration timeout) throws InterruptedException {
			return stop.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
	}
}
