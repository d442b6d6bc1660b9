package org.felund.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.model.Member;
import org.felund.api.node.NodeService;
import org.felund.ui.contrib.ChatCommand;
import org.felund.ui.contrib.ChatContext;
import org.junit.jupiter.api.Test;

class SlashCommandsTest {
	/** A console that records what the commands showed and asked for. */
	private static final class Recorder implements Console {
		final FakeNode node = new FakeNode();
		final List<ChatCommand> contributions = new ArrayList<>();
		ChannelRef current;
		final List<String> printed = new ArrayList<>();
		final List<String> asked = new ArrayList<>();
		boolean answer = true;

		@Override
		public NodeService node() {
			return node;
		}

		@Override
		public List<ChatCommand> contributions() {
			return contributions;
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
		assertEquals("/help ", complete("/he"));
		assertEquals("/channel", complete("/cha"), "/channel and /channels share this prefix");
		assertEquals("/channel create ", complete("/channel c"));
		assertEquals("/circle", complete("/circle"), "nothing more is certain");
		assertEquals("hello", complete("hello"), "only commands complete");
		assertEquals("/zzz", complete("/zzz"));
	}

	private static String complete(String typed) {
		return SlashCommands.complete(typed, SlashCommands.COMMANDS);
	}

	private static List<SlashCommands.Command> proposals(String typed) {
		return SlashCommands.proposals(typed, SlashCommands.COMMANDS);
	}

	@Test
	void proposalsFollowWhatWasTypedIncludingArguments() {
		List<String> words = proposals("/ch").stream().map(SlashCommands.Command::words).toList();
		assertTrue(words.containsAll(List.of("/channels", "/channel create", "/channel join", "/channel switch",
				"/channel leave", "/channel approve")), words.toString());
		assertEquals(List.of("/channel create"),
				proposals("/channel create dev").stream().map(SlashCommands.Command::words).toList());
		assertTrue(proposals("hi /ch").isEmpty());
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
		assertEquals("setDisplayName Alice Liddell", r.node.calls.get(0), "the name is the node's own setting");
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

	/** A plugin's command that records what it was asked. */
	private static ChatCommand command(String name, List<String> asked) {
		return new ChatCommand() {
			@Override
			public String name() {
				return name;
			}

			@Override
			public List<Usage> usages() {
				return List.of(new Usage(name + " start", "[broadcast]", "start a call in this channel"),
						new Usage(name + " list", "", "calls in this circle"), new Usage("/elsewhere", "", "ignored"));
			}

			@Override
			public void run(List<String> arguments, ChatContext context) {
				if (arguments.isEmpty()) {
					throw new IllegalArgumentException("Usage: " + name + " start|list");
				}
				if (arguments.get(0).equals("crash")) {
					throw new IllegalStateException("plugin bug");
				}
				asked.add(arguments + " in " + context.circleId().orElse("-") + "/" + context.channelId().orElse("-"));
				context.print("ok " + arguments.get(0));
			}
		};
	}

	@Test
	void pluginCommandsRunWhileRegisteredAndKnownOnesSayWhatToInstallOtherwise() {
		Recorder r = inCircle();
		SlashCommands.run("/call start", r);
		assertEquals(SlashCommands.CALLS_NOT_INSTALLED, r.last());
		List<String> asked = new ArrayList<>();
		r.contributions.add(command("/call", asked));
		SlashCommands.run("/call start broadcast", r);
		assertEquals(List.of("[start, broadcast] in c1/general"), asked);
		assertEquals("ok start", r.last());
		SlashCommands.run("/call", r);
		assertEquals("\u2717 Usage: /call start|list", r.last(), "the plugin's refusal is shown");
		SlashCommands.run("/call crash", r);
		assertEquals("\u2717 /call failed: plugin bug", r.last(), "a plugin's bug is contained");

		List<SlashCommands.Command> all = SlashCommands.available(r.contributions);
		assertEquals("/call start ", SlashCommands.complete("/call s", all));
		assertTrue(all.stream().noneMatch(c -> c.words().equals("/elsewhere")), "usages stay under the name");
		SlashCommands.run("/help", r);
		assertTrue(r.last().contains("/call start [broadcast]  \u2014  start a call in this channel"), r.last());

		List<String> stolen = new ArrayList<>();
		r.contributions.add(0, command("/who", stolen));
		SlashCommands.run("/who", r);
		assertTrue(stolen.isEmpty(), "a plugin cannot take over a workbench command");

		r.contributions.clear();
		SlashCommands.run("/call list", r);
		assertEquals(SlashCommands.CALLS_NOT_INSTALLED, r.last(), "gone with its plugin");
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

	@Test
	void acceptingACompletionKeepsWhatWasTypedAfterTheCommand() {
		SlashCommands.Command create = SlashCommands.COMMANDS.stream().filter(c -> c.words().equals("/channel create"))
				.findFirst().orElseThrow();
		SlashCommands.Command name = SlashCommands.COMMANDS.stream().filter(c -> c.words().equals("/name"))
				.findFirst().orElseThrow();
		assertEquals("/channel create book-notes", SlashCommands.accept("/channel create book-notes", create));
		assertEquals("/name Alice W.", SlashCommands.accept("/name Alice W.", name));
		assertEquals("/channel create ", SlashCommands.accept("/chan", create));
		assertEquals("  /channel create ", SlashCommands.accept("  /Channel cr", create));
		assertEquals("/who", SlashCommands.accept("/who", create), "not this command's proposal: unchanged");
		assertTrue(SlashCommands.isComplete("/name Alice W.", name));
		assertFalse(SlashCommands.isComplete("/na", name));
	}
}
