package org.felund.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.felund.api.call.CallService;
import org.felund.api.call.CallSession;
import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.model.Member;
import org.felund.api.node.NodeService;
import org.junit.jupiter.api.Test;

class SlashCommandsTest {
	/** A console that records what the commands showed and asked for. */
	private static final class Recorder implements Console {
		final FakeNode node = new FakeNode();
		CallService calls;
		ChannelRef current;
		final List<String> printed = new ArrayList<>();
		final List<String> asked = new ArrayList<>();
		boolean answer = true;

		@Override
		public NodeService node() {
			return node;
		}

		@Override
		public CallService calls() {
			return calls;
		}

		@Override
		public ChannelRef current() {
			return current;
		}

		@Override
		public void print(String line) {
			printed.add(line);
		}

		@Override
		public void select(ChannelRef ref) {
			current = ref;
			asked.add("select " + ref);
		}

		@Override
		public void showInvite() {
			asked.add("invite");
		}

		@Override
		public void showSettings() {
			asked.add("settings");
		}

		@Override
		public void showHelp() {
			asked.add("help");
		}

		@Override
		public boolean confirm(String question) {
			asked.add("confirm " + question);
			return answer;
		}

		@Override
		public void joinInBackground(String inviteCode, Consumer<Circle> joined) {
			joined.accept(node.joinCircle(inviteCode));
		}

		String last() {
			return printed.get(printed.size() - 1);
		}
	}

	private static Recorder inCircle() {
		Recorder r = new Recorder();
		r.node.addCircle("c1", "Book Club");
		r.current = new ChannelRef("c1", "general");
		return r;
	}

	@Test
	void helpListsEveryCommandWithItsArguments() {
		Recorder r = inCircle();
		SlashCommands.run("/help", r);
		for (SlashCommands.Command c : SlashCommands.COMMANDS) {
			assertTrue(r.last().contains(c.usage()), c.usage());
		}
		assertTrue(r.last().contains("/channel create NAME [public|key KEY|invite]"));
	}

	@Test
	void tabCompletesUnambiguousWordsAndStopsWhereCommandsDiffer() {
		assertEquals("/help ", SlashCommands.complete("/he"));
		assertEquals("/channel", SlashCommands.complete("/cha"), "/channel and /channels share this prefix");
		assertEquals("/channel create ", SlashCommands.complete("/channel c"));
		assertEquals("/circle", SlashCommands.complete("/circle"), "nothing more is certain");
		assertEquals("hello", SlashCommands.complete("hello"), "only commands complete");
		assertEquals("/zzz", SlashCommands.complete("/zzz"));
	}

	@Test
	void proposalsFollowWhatWasTypedIncludingArguments() {
		List<String> words = SlashCommands.proposals("/ch").stream().map(SlashCommands.Command::words).toList();
		assertTrue(words.containsAll(List.of("/channels", "/channel create", "/channel join", "/channel switch",
				"/channel leave", "/channel approve")), words.toString());
		assertEquals(List.of("/channel create"),
				SlashCommands.proposals("/channel create dev").stream().map(SlashCommands.Command::words).toList());
		assertTrue(SlashCommands.proposals("hi /ch").isEmpty());
	}

	@Test
	void channelCreateParsesTheAccessModeAndShowsTheNewChannel() {
		Recorder r = inCircle();
		SlashCommands.run("/channel create dev key hunter2", r);
		assertEquals("createChannel dev KEY hunter2", r.node.calls.get(0));
		assertEquals(new ChannelRef("c1", "dev"), r.current);
		SlashCommands.run("/channel create ops invite", r);
		assertEquals("createChannel ops INVITE null", r.node.calls.get(1));
		SlashCommands.run("/channel create fun", r);
		assertEquals("createChannel fun PUBLIC null", r.node.calls.get(2));
		SlashCommands.run("/channel create x key", r);
		assertEquals("\u2717 Usage: /channel create NAME key KEY", r.last());
		SlashCommands.run("/channel create x secret", r);
		assertEquals("\u2717 The access mode is public, key KEY or invite", r.last());
		SlashCommands.run("/channel create Bad!Name", r);
		assertEquals("\u2717 Bad channel name Bad!Name", r.last(), "the node's own refusal is shown");
		assertEquals(3, r.node.calls.size());
	}

	@Test
	void joiningAnInviteOnlyChannelAsksItsOwner() {
		Recorder r = inCircle();
		r.node.channels.get("c1").put("ops", new Channel("c1", "ops", AccessMode.INVITE, "bbbbbbbbbbbbbbbbbbbbbbbb", 1,
				"", Set.of("bbbbbbbbbbbbbbbbbbbbbbbb"), Set.of()));
		SlashCommands.run("/channel join #ops", r);
		assertEquals(List.of("requestChannel ops"), r.node.calls);
		assertTrue(r.last().startsWith("Asked to join #ops"));
		SlashCommands.run("/channel switch nowhere", r);
		assertEquals("\u2717 No channel #nowhere in this circle", r.last());
	}

	@Test
	void approveFindsTheMemberByNameOrIdPrefix() {
		Recorder r = inCircle();
		r.node.channels.get("c1").put("ops",
				new Channel("c1", "ops", AccessMode.INVITE, FakeNode.SELF, 1, "", Set.of(FakeNode.SELF), Set.of("b1")));
		r.node.members.add(new Member("bbbb1111bbbb1111bbbb1111", "Bob", 0, Set.of()));
		r.node.members.add(new Member("cccc2222cccc2222cccc2222", "Carol", 0, Set.of()));
		SlashCommands.run("/channel approve ops bob", r);
		SlashCommands.run("/channel approve ops cccc2222", r);
		assertEquals(List.of("approveChannel ops bbbb1111bbbb1111bbbb1111", "approveChannel ops cccc2222cccc2222cccc2222"),
				r.node.calls);
		SlashCommands.run("/channel approve ops dave", r);
		assertEquals("\u2717 No member dave in this circle", r.last());
	}

	@Test
	void circleCommandsCreateRenameAndLeaveOnlyWhenConfirmed() {
		Recorder r = inCircle();
		SlashCommands.run("/circle create Hiking Group", r);
		assertEquals("createCircle Hiking Group", r.node.calls.get(0));
		assertTrue(r.asked.contains("invite"), "the invite of a new circle is shown");
		SlashCommands.run("/circle name Hikers", r);
		assertEquals("renameCircle c1 Hikers", r.node.calls.get(1));
		r.answer = false;
		SlashCommands.run("/circle leave", r);
		assertEquals(2, r.node.calls.size(), "not confirmed: nothing left");
		r.answer = true;
		SlashCommands.run("/circle leave", r);
		assertEquals("leaveCircle c1", r.node.calls.get(2));
		assertNull(r.current);
	}

	@Test
	void nameJoinWhoAndSettingsGoThroughTheNodeAndTheWindow() {
		Recorder r = inCircle();
		SlashCommands.run("/name Alice Liddell", r);
		assertEquals("Alice Liddell", r.node.identity().displayName());
		SlashCommands.run("/name", r);
		assertEquals("\u2717 Usage: /name NAME", r.last());
		SlashCommands.run("/join felund1.abc", r);
		assertEquals(new ChannelRef("joined", "general"), r.current);
		r.current = new ChannelRef("c1", "general");
		r.node.members.add(new Member(FakeNode.SELF, "alice", 0, Set.of()));
		r.node.members.add(new Member("bbbb1111bbbb1111bbbb1111", "Bob", 0, Set.of("gossip")));
		r.node.members.add(new Member("cccc2222cccc2222cccc2222", "", 0, Set.of()));
		SlashCommands.run("/who", r);
		assertEquals(String.join("\n", "\u25cf alice (you) \u2014 online", "\u25cf Bob \u2014 online via gossip",
				"\u25cb cccc2222\u2026 \u2014 not seen yet"), r.last());
		SlashCommands.run("/settings", r);
		SlashCommands.run("/invite", r);
		assertTrue(r.asked.containsAll(List.of("settings", "invite")));
	}

	@Test
	void callsAnswerThatTheyAreNotInstalledUntilTheyAre() {
		Recorder r = inCircle();
		SlashCommands.run("/call start", r);
		assertEquals(SlashCommands.CALLS_NOT_INSTALLED, r.last());
		List<String> asked = new ArrayList<>();
		r.calls = new CallService() {
			@Override
			public List<CallSession> calls(String circleId) {
				return List.of(new CallSession("s-123", circleId, "general", FakeNode.SELF, CallSession.State.ACTIVE,
						List.of(FakeNode.SELF), List.of(), 1));
			}

			@Override
			public CallSession start(String circleId, String channelId, boolean broadcast) {
				asked.add("start " + channelId + " " + broadcast);
				return calls(circleId).get(0);
			}

			@Override
			public void join(String sessionId) {
				asked.add("join " + sessionId);
			}

			@Override
			public void view(String sessionId) {
			}

			@Override
			public void leave(String sessionId) {
			}

			@Override
			public void end(String sessionId) {
				asked.add("end " + sessionId);
			}

			@Override
			public void revoke(String sessionId, String nodeId) {
			}
		};
		SlashCommands.run("/call start broadcast", r);
		SlashCommands.run("/call join s-1", r);
		SlashCommands.run("/call end s-123", r);
		assertEquals(List.of("start general true", "join s-123", "end s-123"), asked);
		SlashCommands.run("/call list", r);
		assertEquals("s-123  #general  active, 1 in call, 0 watching", r.last());
		SlashCommands.run("/call join nope", r);
		assertEquals("\u2717 No call nope in this circle", r.last());
	}

	@Test
	void unknownCommandsAndMissingCirclesAreExplained() {
		Recorder r = new Recorder();
		SlashCommands.run("/frobnicate", r);
		assertEquals("\u2717 Unknown command /frobnicate. Type /help for the list.", r.last());
		SlashCommands.run("/channels", r);
		assertEquals("\u2717 Select a circle first", r.last());
		SlashCommands.run("/circles", r);
		assertEquals("You are in no circle yet: /circle create NAME, or /join CODE.", r.last());
	}
}
