package org.felund.node.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;
import org.felund.node.cli.internal.Args.UsageException;

/**
 * Which circle and channel a command means: {@code --circle} as an id, a unique id prefix or a unique name (or the
 * only circle), {@code --channel} as a name (or the channel {@code channel switch} chose), and how they are named
 * in what the commands print.
 */
final class CircleTargets {
	private final NodeService node;
	private final CliState cliState;

	CircleTargets(NodeService node, CliState cliState) {
		this.node = node;
		this.cliState = cliState;
	}

	/** The circle named by an id, a unique id prefix or a unique name; the only circle when none is given. */
	Circle circle(String spec) {
		List<Circle> all = node.circles();
		if (spec == null || spec.isBlank()) {
			if (all.size() == 1) {
				return all.get(0);
			}
			if (all.isEmpty()) {
				throw new IllegalArgumentException("No circles yet: create one with 'invite' or join one with 'join'");
			}
			throw new UsageException("--circle ID is required: this node is in " + all.size() + " circles");
		}
		String s = spec.strip();
		for (Circle c : all) {
			if (c.circleId().equals(s)) {
				return c;
			}
		}
		List<Circle> matches = new ArrayList<>();
		if (s.length() >= 4) {
			String lower = s.toLowerCase(Locale.ROOT);
			all.stream().filter(c -> c.circleId().startsWith(lower)).forEach(matches::add);
		}
		if (matches.isEmpty()) {
			all.stream().filter(c -> !c.name().isEmpty() && c.name().equalsIgnoreCase(s)).forEach(matches::add);
		}
		if (matches.size() == 1) {
			return matches.get(0);
		}
		if (matches.isEmpty()) {
			throw new IllegalArgumentException("Unknown circle '" + s + "'");
		}
		throw new IllegalArgumentException("'" + s + "' matches " + matches.size() + " circles; give more of the id");
	}

	String channelFor(Circle c, String explicit) {
		if (explicit != null) {
			if (explicit.isBlank()) {
				throw new UsageException("--channel needs a NAME");
			}
			return explicit;
		}
		return cliState.currentChannel(c.circleId()).orElse(ChatMessage.GENERAL);
	}

	Channel channel(Circle c, String name) {
		String id = normalizedChannel(name);
		Optional<Channel> ch = node.channels(c.circleId()).stream().filter(x -> x.channelId().equals(id)).findFirst();
		return ch.orElseThrow(() -> new IllegalArgumentException("Unknown channel #" + id));
	}

	static String normalizedChannel(String name) {
		String s = name.strip();
		if (s.startsWith("#")) {
			s = s.substring(1);
		}
		return s.toLowerCase(Locale.ROOT);
	}

	static String label(Circle c) {
		return c.name().isEmpty() ? "circle " + c.circleId() : c.name();
	}

	static String where(Circle c, String channel) {
		return channel == null ? label(c) : label(c) + " #" + channel;
	}
}
