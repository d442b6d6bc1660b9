package org.felund.node.cli.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;
import org.felund.api.node.Retention;
import org.felund.node.cli.internal.Args.UsageException;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code felund-node channel …} and {@code felund-node retention …}: a circle's channels and what each keeps. */
final class ChannelCommands {
	private final NodeService node;
	private final CliState cliState;
	private final SecretInput secrets;
	private final CircleTargets targets;
	private final PrintStream out;

	ChannelCommands(NodeService node, CliState cliState, SecretInput secrets, CircleTargets targets, PrintStream out) {
		this.node = node;
		this.cliState = cliState;
		this.secrets = secrets;
		this.targets = targets;
		this.out = out;
	}

	void channel(List<String> rest) {
		if (rest.isEmpty()) {
			throw new UsageException("channel needs a subcommand: list, create, join, leave, request, approve, switch");
		}
		String sub = rest.get(0);
		List<String> more = rest.subList(1, rest.size());
		switch (sub) {
		case "list" -> channelList(more);
		case "create" -> {
			Args a = new Args(more, Set.of("circle", "mode", "key"), Set.of());
			String name = a.onePositional("channel create", "NAME");
			Circle c = targets.circle(a.get("circle"));
			AccessMode mode = parseMode(a.get("mode"));
			if (mode != AccessMode.KEY && a.get("key") != null) {
				throw new UsageException("--key only goes with --mode key");
			}
			String key = mode == AccessMode.KEY ? secrets.resolve(a.get("key"), "key", SecretInput.ENV_CHANNEL_KEY)
					: a.get("key");
			Channel ch = node.createChannel(c.circleId(), name, mode, key);
			out.println("created #" + ch.channelId() + " (" + ch.accessMode().wire() + ")");
		}
		case "join" -> {
			Args a = new Args(more, Set.of("circle", "key"), Set.of());
			String name = a.onePositional("channel join", "NAME");
			Circle c = targets.circle(a.get("circle"));
			Channel ch = node.joinChannel(c.circleId(), name,
					secrets.resolve(a.get("key"), "key", SecretInput.ENV_CHANNEL_KEY));
			out.println("joined #" + ch.channelId());
		}
		case "leave" -> {
			Args a = new Args(more, Set.of("circle"), Set.of());
			String name = a.onePositional("channel leave", "NAME");
			Circle c = targets.circle(a.get("circle"));
			node.leaveChannel(c.circleId(), name);
			String normalized = CircleTargets.normalizedChannel(name);
			if (cliState.currentChannel(c.circleId()).filter(normalized::equals).isPresent()) {
				cliState.setCurrentChannel(c.circleId(), ChatMessage.GENERAL);
			}
			out.println("left #" + normalized);
		}
		case "request" -> {
			Args a = new Args(more, Set.of("circle"), Set.of());
			String name = a.onePositional("channel request", "NAME");
			Circle c = targets.circle(a.get("circle"));
			node.requestChannel(c.circleId(), name);
			out.println("asked to join #" + CircleTargets.normalizedChannel(name));
		}
		case "approve" -> {
			Args a = new Args(more, Set.of("circle"), Set.of());
			if (a.positionals().size() != 2) {
				throw new UsageException("channel approve needs NAME and NODE_ID");
			}
			Circle c = targets.circle(a.get("circle"));
			node.approveChannel(c.circleId(), a.positionals().get(0), a.positionals().get(1));
			out.println("approved " + a.positionals().get(1).strip() + " in #" + CircleTargets.normalizedChannel(a.positionals().get(0)));
		}
		case "switch" -> {
			Args a = new Args(more, Set.of("circle"), Set.of());
			String name = a.onePositional("channel switch", "NAME");
			Circle c = targets.circle(a.get("circle"));
			Channel ch = targets.channel(c, name);
			cliState.setCurrentChannel(c.circleId(), ch.channelId());
			out.println("now on #" + ch.channelId());
		}
		default -> throw new UsageException("Unknown channel subcommand '" + sub + "'");
		}
	}

	private void channelList(List<String> more) {
		Args a = new Args(more, Set.of("circle"), Set.of("json"));
		a.noPositionals("channel list");
		Circle c = targets.circle(a.get("circle"));
		String current = cliState.currentChannel(c.circleId()).orElse(ChatMessage.GENERAL);
		String self = node.identity().nodeId();
		List<Channel> channels = node.channels(c.circleId());
		if (a.flag("json")) {
			ObjectNode o = Json.object();
			ArrayNode list = o.putArray("channels");
			for (Channel ch : channels) {
				ObjectNode e = list.addObject();
				e.put("channel_id", ch.channelId());
				e.put("access_mode", ch.accessMode().wire());
				e.put("owner_node_id", ch.ownerNodeId());
				ArrayNode members = e.putArray("members");
				ch.members().stream().sorted().forEach(members::add);
				ArrayNode pending = e.putArray("pending");
				ch.pendingRequests().stream().sorted().forEach(pending::add);
				e.put("current", ch.channelId().equals(current));
			}
			out.println(Json.compact(o));
			return;
		}
		for (Channel ch : channels) {
			String marks = (ch.channelId().equals(current) ? "*" : " ")
					+ (ch.members().contains(self) || ch.accessMode() == AccessMode.PUBLIC ? " " : "-");
			out.println(marks + " #" + ch.channelId() + "  " + ch.accessMode().wire() + "  " + ch.members().size()
					+ " members" + (ch.pendingRequests().isEmpty() ? "" : ", " + ch.pendingRequests().size() + " waiting"));
		}
	}

	void retention(List<String> rest) {
		String sub = rest.isEmpty() || rest.get(0).startsWith("--") ? "" : rest.get(0);
		List<String> more = sub.isEmpty() ? rest : rest.subList(1, rest.size());
		switch (sub) {
		case "" -> retentionList(more);
		case "set" -> {
			Args a = new Args(more, Set.of("circle", "channel", "days", "messages"), Set.of("all"));
			a.noPositionals("retention set");
			Retention keep;
			if (a.flag("all")) {
				if (a.get("days") != null || a.get("messages") != null) {
					throw new UsageException("retention set takes --all or --days/--messages, not both");
				}
				keep = Retention.KEEP_ALL;
			} else if (a.get("days") == null && a.get("messages") == null) {
				throw new UsageException("retention set needs --all, --days N or --messages N");
			} else {
				int days = a.get("days") == null ? 0 : Args.positive(a.get("days"), "--days");
				int count = a.get("messages") == null ? 0 : Args.positive(a.get("messages"), "--messages");
				keep = new Retention(days, count);
			}
			Circle c = targets.circle(a.get("circle"));
			String channel = a.get("channel") == null ? null : targets.channel(c, a.get("channel")).channelId();
			node.setRetention(c.circleId(), channel, keep);
			out.println(CircleTargets.where(c, channel) + " keeps " + keep.describe());
		}
		case "unset" -> {
			Args a = new Args(more, Set.of("circle", "channel"), Set.of());
			a.noPositionals("retention unset");
			Circle c = targets.circle(a.get("circle"));
			String channel = a.get("channel") == null ? null : targets.channel(c, a.get("channel")).channelId();
			node.setRetention(c.circleId(), channel, null);
			out.println(CircleTargets.where(c, channel) + " keeps " + (channel == null ? "everything"
					: "what " + CircleTargets.label(c) + " keeps (" + node.retention(c.circleId(), null)
							.orElse(Retention.KEEP_ALL).describe() + ")"));
		}
		default -> throw new UsageException("Unknown retention subcommand '" + sub + "' (set, unset)");
		}
	}

	private void retentionList(List<String> more) {
		Args a = new Args(more, Set.of("circle"), Set.of("json"));
		a.noPositionals("retention");
		List<Circle> circles = a.get("circle") == null ? node.circles() : List.of(targets.circle(a.get("circle")));
		ObjectNode o = Json.object();
		ArrayNode list = o.putArray("circles");
		for (Circle c : circles) {
			Optional<Retention> own = node.retention(c.circleId(), null);
			ObjectNode e = list.addObject();
			e.put("circle_id", c.circleId());
			e.put("name", c.name());
			keeps(e, own);
			ArrayNode channels = e.putArray("channels");
			if (!a.flag("json")) {
				out.println(CircleTargets.label(c) + "  keeps " + own.orElse(Retention.KEEP_ALL).describe());
			}
			for (Channel ch : node.channels(c.circleId())) {
				Optional<Retention> r = node.retention(c.circleId(), ch.channelId());
				ObjectNode x = channels.addObject();
				x.put("channel_id", ch.channelId());
				keeps(x, r);
				if (!a.flag("json")) {
					out.println("  #" + ch.channelId() + "  " + r.map(Retention::describe).orElse("as the circle"));
				}
			}
		}
		if (a.flag("json")) {
			out.println(Json.compact(o));
		}
	}

	/** {@code "keeps": {"days": D, "messages": M}} (0 = no limit), or null when no choice was made. */
	private static void keeps(ObjectNode into, Optional<Retention> r) {
		if (r.isEmpty()) {
			into.putNull("keeps");
			return;
		}
		ObjectNode k = into.putObject("keeps");
		k.put("days", r.get().maxAgeDays());
		k.put("messages", r.get().maxMessages());
	}

	private static AccessMode parseMode(String mode) {
		if (mode == null) {
			return AccessMode.PUBLIC;
		}
		return switch (mode.strip().toLowerCase(Locale.ROOT)) {
		case "public" -> AccessMode.PUBLIC;
		case "key" -> AccessMode.KEY;
		case "invite" -> AccessMode.INVITE;
		default -> throw new UsageException("--mode is public, key or invite, not '" + mode + "'");
		};
	}
}
