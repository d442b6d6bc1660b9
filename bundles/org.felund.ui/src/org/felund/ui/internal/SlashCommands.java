package org.felund.ui.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;

import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.model.Member;
import org.felund.api.model.ProtocolException;
import org.felund.api.node.CreatedCircle;
import org.felund.api.node.NodeService;
import org.felund.ui.contrib.ChatCommand;
import org.felund.ui.contrib.ChatContext;

/**
 * The slash commands of the composer: what they do, their help, and completion; plugins add theirs as
 * {@link ChatCommand} services. Everything goes through the {@link Console} and the services it offers, so the
 * commands behave the same wherever they are typed.
 */
public final class SlashCommands {
	/** A command as completion and help show it. */
	public record Command(String words, String arguments, String description) {
		public String usage() {
			return arguments.isEmpty() ? words : words + " " + arguments;
		}
	}

	public static final String CALLS_NOT_INSTALLED = "Calls are not installed: install the calls plugin from the update site.";

	/**
	 * Names kept for plugins the workbench knows may be missing, and what typing one says until a plugin
	 * registers a {@link ChatCommand} of that name.
	 */
	public static final Map<String, String> PLUGIN_COMMANDS = Map.of("/call", CALLS_NOT_INSTALLED);

	/** The workbench's own commands. */
	public static final List<Command> COMMANDS = List.of( //
			new Command("/help", "", "what you can type here"), //
			new Command("/invite", "", "the invite code of this circle, with copy (F2)"), //
			new Command("/join", "CODE", "join a circle with a felund1. invite code"), //
			new Command("/circles", "", "your circles"), //
			new Command("/circle create", "[NAME]", "create a circle and show its invite"), //
			new Command("/circle name", "NAME", "rename this circle for everyone"), //
			new Command("/circle leave", "", "leave this circle and delete its messages here"), //
			new Command("/channels", "", "the channels of this circle"), //
			new Command("/channel create", "NAME [public|key KEY|invite]", "create a channel"), //
			new Command("/channel join", "NAME [KEY]", "join a channel (invite-only: ask to join)"), //
			new Command("/channel switch", "NAME", "show another channel"), //
			new Command("/channel leave", "[NAME]", "leave a channel (this one by default)"), //
			new Command("/channel approve", "NAME MEMBER", "let someone into your invite-only channel"), //
			new Command("/who", "", "who is here and who is online"), //
			new Command("/name", "NAME", "change your display name"), //
			new Command("/settings", "", "your name, notifications and the plugins' settings (F3)"));

	/** First words of the workbench's commands; a plugin cannot take them over. */
	private static final Set<String> OWN_WORDS = COMMANDS.stream().map(c -> c.words().split(" ")[0])
			.collect(Collectors.toUnmodifiableSet());

	private SlashCommands() {
	}

	public static boolean isCommand(String input) {
		return input.strip().startsWith("/");
	}

	/** The workbench's commands, then the usages of the plugins' (those that reuse a workbench name are left out). */
	public static List<Command> available(List<ChatCommand> contributed) {
		List<Command> out = new ArrayList<>(COMMANDS);
		for (ChatCommand c : usable(contributed)) {
			for (ChatCommand.Usage u : c.usages()) {
				if (u.words().equals(c.name()) || u.words().startsWith(c.name() + " ")) {
					out.add(new Command(u.words(), u.arguments(), u.description()));
				}
			}
		}
		return out;
	}

	private static List<ChatCommand> usable(List<ChatCommand> contributed) {
		List<ChatCommand> out = new ArrayList<>();
		for (ChatCommand c : contributed) {
			String name = c.name();
			if (name != null && name.startsWith("/") && !OWN_WORDS.contains(name) && !name.equals("/?")
					&& out.stream().noneMatch(o -> o.name().equals(name))) {
				out.add(c);
			}
		}
		return out;
	}

	/** The help text: one line per command. */
	public static String help(List<Command> commands) {
		StringJoiner out = new StringJoiner("\n");
		for (Command c : commands) {
			out.add(c.usage() + "  \u2014  " + c.description());
		}
		return out.toString();
	}

	/** The commands whose words start with what was typed so far (before any argument). */
	public static List<Command> proposals(String typed, List<Command> commands) {
		String t = typed.stripLeading().toLowerCase(Locale.ROOT);
		if (!t.startsWith("/") || t.contains("\n")) {
			return List.of();
		}
		List<Command> out = new ArrayList<>();
		for (Command c : commands) {
			if (c.words().startsWith(t) || (t.startsWith(c.words() + " ") && !c.arguments().isEmpty())) {
				out.add(c);
			}
		}
		return out;
	}

	/**
	 * Completes the command words typed so far as far as they are unambiguous (a unique command gets a trailing
	 * space); returns the input unchanged when nothing more can be completed.
	 */
	/**
	 * What the composer holds after a proposal is accepted: the command's words completed, and whatever was
	 * typed after them kept ("/channel create book-notes" stays as it is; "/chan" becomes "/channel create ").
	 */
	public static String accept(String typed, Command proposal) {
		String t = typed.stripLeading();
		String words = proposal.words();
		if (t.toLowerCase(Locale.ROOT).startsWith(words + " ")) {
			return typed; // the words are all there: what follows them is the user's
		}
		if (!words.startsWith(t.toLowerCase(Locale.ROOT))) {
			return typed; // not a proposal for this text (the popup was late): change nothing
		}
		return typed.substring(0, typed.length() - t.length()) + words + " ";
	}

	/** Whether accepting {@code proposal} would leave {@code typed} as it is: then Enter runs the command. */
	public static boolean isComplete(String typed, Command proposal) {
		return accept(typed, proposal).equals(typed);
	}

	public static String complete(String typed, List<Command> commands) {
		String t = typed.stripLeading().toLowerCase(Locale.ROOT);
		if (!t.startsWith("/") || t.contains("\n")) {
			return typed;
		}
		List<String> words = new ArrayList<>();
		for (Command c : commands) {
			if (c.words().startsWith(t)) {
				words.add(c.words());
			}
		}
		if (words.isEmpty()) {
			return typed;
		}
		if (words.size() == 1) {
			return words.get(0) + " ";
		}
		String prefix = words.get(0);
		for (String w : words) {
			int i = 0;
			while (i < prefix.length() && i < w.length() && prefix.charAt(i) == w.charAt(i)) {
				i++;
			}
			prefix = prefix.substring(0, i);
		}
		return prefix.length() > t.length() ? prefix : typed;
	}

	/** Runs one command line. Errors are printed, never thrown. */
	public static void run(String input, Console console) {
		String[] args = input.strip().split("\\s+");
		String head = args[0].toLowerCase(Locale.ROOT);
		String[] rest = Arrays.copyOfRange(args, 1, args.length);
		try {
			switch (head) {
			case "/help", "/?" -> console.print(help(available(console.contributions())));
			case "/settings" -> console.showSettings();
			default -> {
				if (OWN_WORDS.contains(head)) {
					withNode(head, rest, console);
				} else {
					contributed(head, rest, console);
				}
			}
			}
		} catch (IllegalArgumentException | ProtocolException | UnsupportedOperationException e) {
			console.print("\u2717 " + e.getMessage());
		}
	}

	/** A plugin's command, or what to install for a known one, or an explanation. */
	private static void contributed(String head, String[] args, Console console) {
		Optional<ChatCommand> command = usable(console.contributions()).stream().filter(c -> c.name().equals(head))
				.findFirst();
		if (command.isEmpty()) {
			console.print(PLUGIN_COMMANDS.getOrDefault(head,
					"\u2717 Unknown command " + head + ". Type /help for the list."));
			return;
		}
		try {
			command.get().run(List.of(args), context(console));
		} catch (IllegalArgumentException e) {
			console.print("\u2717 " + e.getMessage());
		} catch (RuntimeException e) {
			// a plugin's bug must not take the chat with it
			console.print("\u2717 " + head + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
		}
	}

	private static ChatContext context(Console console) {
		ChannelRef here = console.current();
		return new ChatContext() {
			@Override
			public Optional<String> circleId() {
				return Optional.ofNullable(here).map(ChannelRef::circleId);
			}

			@Override
			public Optional<String> channelId() {
				return Optional.ofNullable(here).map(ChannelRef::channelId);
			}

			@Override
			public void print(String line) {
				console.print(line);
			}
		};
	}

	private static void withNode(String head, String[] args, Console console) {
		NodeService node = console.node();
		if (node == null) {
			console.print("\u2717 The node is still starting; try again in a moment.");
			return;
		}
		switch (head) {
		case "/invite" -> {
			requireCircle(console);
			console.showInvite();
		}
		case "/join" -> {
			String code = require(args, 0, "/join CODE");
			console.print("Joining the circle\u2026");
			console.joinInBackground(code, circle -> {
				console.print("Joined " + Labels.circle(console.node(), circle) + ".");
				console.select(new ChannelRef(circle.circleId(), ChannelRef.DEFAULT_CHANNEL));
			});
		}
		case "/circles" -> circles(node, console);
		case "/circle" -> circle(node, args, console);
		case "/channels" -> channels(node, console);
		case "/channel" -> channel(node, args, console);
		case "/who" -> who(node, console);
		case "/name" -> {
			String name = String.join(" ", args).strip();
			if (name.isEmpty()) {
				throw new IllegalArgumentException("Usage: /name NAME");
			}
			node.setDisplayName(name);
			console.print("You are now called " + node.identity().displayName() + ".");
		}
		default -> console.print("\u2717 Unknown command " + head + ". Type /help for the list.");
		}
	}

	private static void circles(NodeService node, Console console) {
		List<Circle> circles = node.circles();
		if (circles.isEmpty()) {
			console.print("You are in no circle yet: /circle create NAME, or /join CODE.");
			return;
		}
		StringJoiner out = new StringJoiner("\n");
		ChannelRef current = console.current();
		for (Circle c : circles) {
			boolean here = current != null && current.circleId().equals(c.circleId());
			out.add((here ? "\u25b8 " : "  ") + Labels.circle(console.node(), c) + "  (" + c.circleId() + ")");
		}
		console.print(out.toString());
	}

	private static void circle(NodeService node, String[] args, Console console) {
		String sub = require(args, 0, "/circle create|name|leave").toLowerCase(Locale.ROOT);
		String rest = String.join(" ", Arrays.copyOfRange(args, 1, args.length)).strip();
		switch (sub) {
		case "create" -> {
			CreatedCircle created = node.createCircle(rest);
			console.print("Created " + Labels.circle(console.node(), created.circle()) + ". Share its invite code so others can join.");
			console.select(new ChannelRef(created.circle().circleId(), ChannelRef.DEFAULT_CHANNEL));
			console.showInvite();
		}
		case "name", "rename" -> {
			ChannelRef ref = requireCircle(console);
			if (rest.isEmpty()) {
				throw new IllegalArgumentException("Usage: /circle name NAME");
			}
			node.renameCircle(ref.circleId(), rest);
			console.print("The circle is now called " + rest + ".");
		}
		case "leave" -> {
			ChannelRef ref = requireCircle(console);
			String label = node.circle(ref.circleId()).map(c -> Labels.circle(node, c)).orElse(ref.circleId());
			if (console.confirm("Leave " + label + "? Its messages are deleted from this computer.")) {
				node.leaveCircle(ref.circleId());
				console.select(null);
			}
		}
		default -> throw new IllegalArgumentException("Usage: /circle create|name|leave");
		}
	}

	private static void channels(NodeService node, Console console) {
		ChannelRef ref = requireCircle(console);
		String self = node.identity().nodeId();
		StringJoiner out = new StringJoiner("\n");
		for (Channel c : node.channels(ref.circleId())) {
			boolean in = c.accessMode() == AccessMode.PUBLIC || c.members().contains(self);
			out.add((c.channelId().equals(ref.channelId()) ? "\u25b8 #" : "  #") + c.channelId() + "  "
					+ modeText(c.accessMode()) + (in ? "" : c.pendingRequests().contains(self) ? ", asked to join"
							: ", not joined"));
		}
		console.print(out.toString());
	}

	public static String modeText(AccessMode mode) {
		return switch (mode) {
		case PUBLIC -> "public";
		case KEY -> "key";
		case INVITE -> "invite only";
		};
	}

	private static void channel(NodeService node, String[] args, Console console) {
		ChannelRef ref = requireCircle(console);
		String usage = "/channel create|join|switch|leave|approve NAME";
		String sub = require(args, 0, usage).toLowerCase(Locale.ROOT);
		switch (sub) {
		case "create" -> {
			String name = require(args, 1, "/channel create NAME [public|key KEY|invite]");
			String modeWord = args.length > 2 ? args[2].toLowerCase(Locale.ROOT) : "public";
			AccessMode mode = switch (modeWord) {
			case "public" -> AccessMode.PUBLIC;
			case "key" -> AccessMode.KEY;
			case "invite" -> AccessMode.INVITE;
			default -> throw new IllegalArgumentException("The access mode is public, key KEY or invite");
			};
			String key = mode == AccessMode.KEY ? require(args, 3, "/channel create NAME key KEY") : null;
			Channel c = node.createChannel(ref.circleId(), name, mode, key);
			console.print("Created #" + c.channelId() + " (" + modeText(c.accessMode()) + ").");
			console.select(new ChannelRef(ref.circleId(), c.channelId()));
		}
		case "join" -> {
			String name = require(args, 1, "/channel join NAME [KEY]");
			Channel c = channelNamed(node, ref.circleId(), name);
			if (c.accessMode() == AccessMode.INVITE && !c.members().contains(node.identity().nodeId())) {
				node.requestChannel(ref.circleId(), c.channelId());
				console.print("Asked to join #" + c.channelId() + "; its owner has to let you in.");
				return;
			}
			Channel joined = node.joinChannel(ref.circleId(), c.channelId(), args.length > 2 ? args[2] : null);
			console.print("Joined #" + joined.channelId() + ".");
			console.select(new ChannelRef(ref.circleId(), joined.channelId()));
		}
		case "switch" -> {
			Channel c = channelNamed(node, ref.circleId(), require(args, 1, "/channel switch NAME"));
			console.select(new ChannelRef(ref.circleId(), c.channelId()));
		}
		case "leave" -> {
			String name = args.length > 1 ? args[1] : ref.channelId();
			Channel c = channelNamed(node, ref.circleId(), name);
			node.leaveChannel(ref.circleId(), c.channelId());
			console.print("Left #" + c.channelId() + ".");
			if (c.channelId().equals(ref.channelId())) {
				console.select(new ChannelRef(ref.circleId(), ChannelRef.DEFAULT_CHANNEL));
			}
		}
		case "approve" -> {
			Channel c = channelNamed(node, ref.circleId(), require(args, 1, "/channel approve NAME MEMBER"));
			String who = String.join(" ", Arrays.copyOfRange(args, 2, args.length)).strip();
			if (who.isEmpty()) {
				throw new IllegalArgumentException("Usage: /channel approve NAME MEMBER");
			}
			Member m = memberNamed(node.members(ref.circleId()), who);
			node.approveChannel(ref.circleId(), c.channelId(), m.nodeId());
			console.print("Let " + display(m) + " into #" + c.channelId() + ".");
		}
		default -> throw new IllegalArgumentException("Usage: " + usage);
		}
	}

	private static void who(NodeService node, Console console) {
		ChannelRef ref = requireCircle(console);
		String self = node.identity().nodeId();
		long now = Instant.now().getEpochSecond();
		Channel channel = node.channels(ref.circleId()).stream().filter(c -> c.channelId().equals(ref.channelId()))
				.findFirst().orElse(null);
		StringJoiner out = new StringJoiner("\n");
		for (Member m : node.members(ref.circleId())) {
			if (channel != null && channel.accessMode() != AccessMode.PUBLIC && !channel.members().contains(m.nodeId())) {
				continue;
			}
			String via = m.transports().isEmpty() ? "" : " via " + String.join(", ", m.transports());
			out.add((Presence.online(m, self, now) ? "\u25cf " : "\u25cb ") + display(m)
					+ (m.nodeId().equals(self) ? " (you)" : "") + " \u2014 " + Presence.describe(m, self, now) + via);
		}
		console.print(out.toString());
	}

	private static Channel channelNamed(NodeService node, String circleId, String name) {
		String id = name.strip().toLowerCase(Locale.ROOT);
		String wanted = id.startsWith("#") ? id.substring(1) : id;
		return node.channels(circleId).stream().filter(c -> c.channelId().equals(wanted)).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("No channel #" + wanted + " in this circle"));
	}

	/** A member by display name (case-insensitive) or by a node id prefix of at least 4 characters. */
	static Member memberNamed(List<Member> members, String who) {
		List<Member> byName = members.stream().filter(m -> m.displayName().equalsIgnoreCase(who)).toList();
		if (byName.size() == 1) {
			return byName.get(0);
		}
		List<Member> byId = who.length() >= 4 ? members.stream().filter(m -> m.nodeId().startsWith(who)).toList()
				: List.of();
		if (byId.size() == 1) {
			return byId.get(0);
		}
		if (byName.size() > 1 || byId.size() > 1) {
			throw new IllegalArgumentException("More than one member is " + who + "; use a node id");
		}
		throw new IllegalArgumentException("No member " + who + " in this circle");
	}

	private static String display(Member m) {
		return m.displayName().isBlank() ? ChatTranscript.shortId(m.nodeId()) : m.displayName();
	}

	private static ChannelRef requireCircle(Console console) {
		ChannelRef ref = console.current();
		if (ref == null) {
			throw new IllegalArgumentException("Select a circle first");
		}
		return ref;
	}

	private static String require(String[] args, int index, String usage) {
		if (args.length <= index || args[index].isBlank()) {
			throw new IllegalArgumentException("Usage: " + usage);
		}
		return args[index];
	}
}
