package org.felund.calls.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.felund.api.call.Call;
import org.felund.api.call.Role;
import org.felund.api.control.CallEvent;
import org.felund.calls.Calls;
import org.felund.core.node.Node;
import org.felund.ui.contrib.ChatContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /call} against the real calls service of a real node (SQLite home, the core's control events), control plane
 * only: what each form does, and that refusals come back as the line's error in the service's words.
 */
class CallCommandTest {
	@TempDir
	Path tmp;

	private TestCircle home;
	private Calls calls;
	private Node node;
	private String circle;
	private CallCommand command;
	private final List<String> printed = new ArrayList<>();

	@BeforeEach
	void startNode() {
		home = new TestCircle(tmp, "alice");
		calls = home.calls;
		node = home.node;
		circle = home.circle;
		command = new CallCommand(calls, node);
	}

	@AfterEach
	void stopNode() throws Exception {
		home.close();
	}

	private ChatContext in(String circleId, String channelId) {
		return new ChatContext() {
			@Override
			public Optional<String> circleId() {
				return Optional.ofNullable(circleId);
			}

			@Override
			public Optional<String> channelId() {
				return Optional.ofNullable(channelId);
			}

			@Override
			public void print(String line) {
				printed.add(line);
			}
		};
	}

	private void run(String line, ChatContext context) {
		command.run(List.of(line.split(" ")), context);
	}

	@Test
	void startMakesThisNodeTheHostOfACallInTheChannelShownAndEndEndsIt() {
		run("start", in(circle, "general"));
		Call call = calls.current().orElseThrow();
		assertEquals("general", call.channelId());
		assertEquals(Role.HOST, call.roleOf(node.identity().nodeId()));
		assertEquals("You started a call in #general (F4 shows it)", printed.get(0));

		IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
				() -> run("start", in(circle, "general")));
		assertTrue(again.getMessage().contains("another call"), again.getMessage());

		run("end", in(circle, "general"));
		assertTrue(calls.call(call.sessionId()).orElseThrow().ended());
		assertTrue(calls.current().isEmpty());
		assertEquals("You ended the call in #general", printed.get(1));
	}

	@Test
	void joinTakesTheNewestCallOfTheCircleOrTheOneNamedAndLeaveLeavesIt() throws InterruptedException {
		// Calls other members started (their CALL_EVT creates arrive as control events of the circle).
		Node bob = home.member("bob");
		Node carol = home.member("carol");
		home.from(bob, CallEvent.create("s-older", bob.nodeId(), circle, "general", 100));
		home.from(carol, CallEvent.create("s-newer", carol.nodeId(), circle, "random", 200));
		TestCircle.await("two calls", () -> calls.calls(circle).size() == 2);

		run("join", in(circle, "general"));
		assertEquals("s-newer", calls.current().orElseThrow().sessionId());
		assertEquals(Role.PARTICIPANT, calls.current().orElseThrow().roleOf(node.identity().nodeId()));
		run("leave", in(circle, "general"));
		assertTrue(calls.current().isEmpty());

		run("view s-old", in(circle, "general"));
		assertEquals("s-older", calls.current().orElseThrow().sessionId());
		assertEquals(Role.VIEWER, calls.current().orElseThrow().roleOf(node.identity().nodeId()));
		assertEquals(List.of("You joined the call in #random", "You left the call in #random",
				"You are watching the call in #general"), printed);
	}

	@Test
	void refusalsComeBackInWordsAndChangeNothing() {
		assertEquals("No call in this circle: /call start begins one",
				assertThrows(IllegalArgumentException.class, () -> run("join", in(circle, "general"))).getMessage());
		assertEquals("You are not in a call",
				assertThrows(IllegalArgumentException.class, () -> run("leave", in(circle, "general"))).getMessage());
		assertEquals("Open a channel first: a call starts in the channel you are in",
				assertThrows(IllegalArgumentException.class, () -> run("start", in(null, null))).getMessage());
		assertTrue(assertThrows(IllegalArgumentException.class, () -> run("ring", in(circle, "general")))
				.getMessage().startsWith("Usage: /call"));
		assertThrows(IllegalArgumentException.class, () -> command.run(List.of(), in(circle, "general")));

		run("start", in(circle, "general"));
		assertEquals("mallory is not in the call", assertThrows(IllegalArgumentException.class,
				() -> run("revoke mallory", in(circle, "general"))).getMessage());
		assertTrue(calls.current().isPresent(), "the call goes on");
		assertEquals(1, printed.size(), printed.toString());
	}

	@Test
	void theHostRemovesSomeoneByName() throws InterruptedException {
		run("start", in(circle, "general"));
		String session = calls.current().orElseThrow().sessionId();
		Node bob = home.member("bob");
		home.from(bob, CallEvent.participation(CallEvent.Op.JOIN, session, bob.nodeId(), bob.nodeId()));
		TestCircle.await("bob in the call", () -> calls.call(session).orElseThrow().participants().contains(bob.nodeId()));

		run("revoke bob", in(circle, "general"));
		assertTrue(!calls.call(session).orElseThrow().includes(bob.nodeId()));
		assertEquals("You removed bob from the call", printed.get(1));
	}
}
