package org.felund.ui.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Function;

import org.felund.api.model.Delivery;

/**
 * How the chat words the delivery state of your own messages: the mark after a message (○ sent, ✓ delivered), the
 * detail line with its path, and the tooltip. The path's hops read as {@link Delivery.Hop#describe()}, followed by
 * the member's name where the peer is a member the node knows.
 */
public final class DeliveryText {
	/** Sent: only on this computer so far. */
	public static final String SENT_MARK = "\u25cb";
	/** Delivered: a peer, an anchor or a relay has it. */
	public static final String DELIVERED_MARK = "\u2713";
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

	private DeliveryText() {
	}

	public static String mark(Delivery.Status status) {
		return status == Delivery.Status.DELIVERED ? DELIVERED_MARK : SENT_MARK;
	}

	/** {@code sent} or {@code delivered}. */
	public static String status(Delivery d) {
		return d.status().name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The path in one line: {@code delivered: gossip → 3f2a9c01 (direct) bob 12:03:05, relay → http://… (relay)
	 * 12:03:06}; while only sent: {@code sent: no peer, anchor or relay has it yet}.
	 */
	public static String pathLine(Delivery d, ZoneId zone, Function<String, String> names) {
		if (d.hops().isEmpty()) {
			return "sent: no peer, anchor or relay has it yet";
		}
		StringJoiner path = new StringJoiner(", ", "delivered: ", "");
		for (Delivery.Hop h : d.hops()) {
			path.add(hop(h, zone, names));
		}
		return path.toString();
	}

	/** The tooltip of a message of yours: what the state means, then one hop per line. */
	public static String tooltip(Delivery d, ZoneId zone, Function<String, String> names) {
		if (d.hops().isEmpty()) {
			return SENT_MARK + " Sent: no peer, anchor or relay has accepted it yet.\n"
					+ "Felund keeps trying: directly, through an anchor, then through a relay.";
		}
		StringBuilder text = new StringBuilder(DELIVERED_MARK + " Delivered. Path:");
		for (Delivery.Hop h : d.hops()) {
			text.append("\n").append(hop(h, zone, names));
		}
		return text.toString();
	}

	private static String hop(Delivery.Hop h, ZoneId zone, Function<String, String> names) {
		String name = h.route() == Delivery.Route.RELAY ? null : names.apply(h.peer());
		return h.describe() + (name == null || name.isBlank() ? "" : " " + name.strip()) + " "
				+ TIME.format(Instant.ofEpochSecond(h.ts()).atZone(zone));
	}
}
