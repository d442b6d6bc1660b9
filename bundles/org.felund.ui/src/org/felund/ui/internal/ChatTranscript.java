package org.felund.ui.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.node.SystemNote;
import org.felund.api.store.SyncKey;

/**
 * What the chat part shows for one channel: messages, system lines for control events and local lines (command
 * output), and how that reads as text with day dividers, times, author names and links.
 * <p>
 * Order: by {@code created_ts} (whole seconds), then by the order the node stored them (history pages come in
 * that order, newest first) and, for what arrives while the channel is shown, by arrival. The random
 * {@code msg_id} never decides: four lines typed within one second read in the order they were typed.
 * <p>
 * Your own messages end with their delivery state once it is known ({@link #delivery}): ○ sent, ✓ delivered; with
 * {@link #showPaths} on, a detail line under each tells its path (who accepted it, by which transport and route).
 * <p>
 * Not thread-safe: the chat part uses it on the UI thread.
 */
public final class ChatTranscript {
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH);
	/** Continuation lines of a multi-line message start under its text. */
	private static final String INDENT = "        ";

	public enum Kind {
		MESSAGE, NOTE, LOCAL
	}

	/** One entry; {@code authorName} is empty for notes and local lines. */
	public record Entry(Kind kind, SyncKey key, String authorNodeId, String authorName, String text) {
	}

	/** A styled stretch of the rendered text. */
	public enum Style {
		DAY, TIME, AUTHOR, OWN_AUTHOR, NOTE, LOCAL, LINK, MARKER,
		/** The mark of a message of yours that nobody has accepted yet. */
		SENT,
		/** The mark of a message of yours that a peer, an anchor or a relay accepted. */
		DELIVERED,
		/** The detail line with a message's path. */
		PATH
	}

	/**
	 * {@code data}: the author's node id for author styles, the address for links, the message id for delivery marks
	 * and paths, else empty.
	 */
	public record Span(int start, int length, Style style, String data) {
		public String authorNodeId() {
			return data;
		}
	}

	/** Where an entry's text is in the rendered text: {@code [start, end)}. */
	public record Block(int start, int end, Entry entry) {
	}

	/** The rendered text, its styled spans, the line at which each message starts, and each entry's block. */
	public record Rendered(String text, List<Span> spans, java.util.Map<String, Integer> lineOfMessage,
			List<Block> blocks) {
		/** The entry at a character offset, if any. */
		public java.util.Optional<Entry> entryAt(int offset) {
			for (Block b : blocks) {
				if (offset >= b.start() && offset < b.end()) {
					return java.util.Optional.of(b.entry());
				}
			}
			return java.util.Optional.empty();
		}
	}

	/** Position in the transcript: created_ts, then storage or arrival order. */
	private record Position(long createdTs, long ordinal) implements Comparable<Position> {
		@Override
		public int compareTo(Position o) {
			int c = Long.compare(createdTs, o.createdTs);
			return c != 0 ? c : Long.compare(ordinal, o.ordinal);
		}
	}

	private static final java.util.regex.Pattern LINK = java.util.regex.Pattern
			.compile("\\b(?:https?://|www\\.)[^\\s<>\"]+[^\\s<>\".,;:!?)\\]}'\u2019\u201d]");

	private final String selfNodeId;
	private final ZoneId zone;
	private final NavigableMap<Position, Entry> entries = new TreeMap<>();
	/** Where each message and note is, by msg_id. */
	private final java.util.Map<String, Position> positions = new java.util.HashMap<>();
	private final java.util.Set<String> messageIds = new java.util.HashSet<>();
	private SyncKey oldestMessage;
	/** Ordinals of history (handed out downwards, page by page) and of arrivals (upwards). */
	private long older;
	private long newer;
	/** Entries after this one are new to the user ("new messages" divider); null = none. */
	private Position readUpTo;
	/** The delivery state of your own messages, by msg_id (only of messages loaded here). */
	private final java.util.Map<String, Delivery> deliveries = new java.util.HashMap<>();
	private boolean showPaths;
	/** A member's display name by node id (null or blank when unknown), for the paths. */
	private java.util.function.Function<String, String> names = id -> null;

	public ChatTranscript(String selfNodeId, ZoneId zone) {
		this.selfNodeId = selfNodeId;
		this.zone = zone;
	}

	/**
	 * Adds a page of history as the node returns it, newest first; ids already present are ignored. Returns how
	 * many were new.
	 */
	public int addMessages(List<ChatMessage> newestFirst) {
		int added = 0;
		for (ChatMessage m : newestFirst) {
			if (add(m, --older)) {
				added++;
			}
		}
		return added;
	}

	/** Adds a message that arrived (or was sent) while the channel is shown: after those of its second. */
	public boolean addArrived(ChatMessage m) {
		return add(m, ++newer);
	}

	private boolean add(ChatMessage m, long ordinal) {
		if (m.isControl() || !messageIds.add(m.msgId())) {
			return false;
		}
		SyncKey key = new SyncKey(m.createdTs(), m.msgId());
		String name = m.displayName().isBlank() ? shortId(m.authorNodeId()) : m.displayName();
		Position at = new Position(m.createdTs(), ordinal);
		positions.put(m.msgId(), at);
		entries.put(at, new Entry(Kind.MESSAGE, key, m.authorNodeId(), name, m.text()));
		if (oldestMessage == null || m.createdTs() < oldestMessage.createdTs()
				|| m.createdTs() == oldestMessage.createdTs() && ordinal < positions.get(oldestMessage.msgId()).ordinal()) {
			oldestMessage = key;
		}
		return true;
	}

	/** Adds system lines (newest first); a note already present (same message id) takes its newer wording. */
	public void addNotes(List<SystemNote> newestFirst) {
		for (SystemNote n : newestFirst) {
			SyncKey key = new SyncKey(n.createdTs(), n.msgId());
			Position at = positions.computeIfAbsent(n.msgId(), id -> new Position(n.createdTs(), --older));
			entries.put(at, new Entry(Kind.NOTE, key, n.authorNodeId(), "", n.text()));
		}
	}

	/** A line only this window shows (command output, errors), stamped now and kept after older entries. */
	public void addLocal(String text, long nowSeconds) {
		long ordinal = ++newer;
		SyncKey key = new SyncKey(nowSeconds, "~local-" + String.format(Locale.ROOT, "%012d", ordinal));
		entries.put(new Position(nowSeconds, ordinal), new Entry(Kind.LOCAL, key, "", "", text));
	}

	/**
	 * The delivery state of a message of yours that is loaded here (a state for any other message is ignored: a page
	 * loaded later brings its own). Returns whether what is shown changes.
	 */
	public boolean delivery(Delivery d) {
		Position at = positions.get(d.msgId());
		Entry e = at == null ? null : entries.get(at);
		if (e == null || e.kind() != Kind.MESSAGE || !e.authorNodeId().equals(selfNodeId)) {
			return false;
		}
		return !d.equals(deliveries.put(d.msgId(), d));
	}

	/** The states of a page of messages ({@code NodeService.deliveries}); returns whether any changes what is shown. */
	public boolean deliveries(java.util.Map<String, Delivery> states) {
		boolean changed = false;
		for (Delivery d : states.values()) {
			changed |= delivery(d);
		}
		return changed;
	}

	/** The known delivery state of a message of yours. */
	public java.util.Optional<Delivery> deliveryOf(String msgId) {
		return java.util.Optional.ofNullable(deliveries.get(msgId));
	}

	/** The tooltip for a message: its delivery state and path, or null for messages that are not yours. */
	public String deliveryTooltip(String msgId) {
		Delivery d = deliveries.get(msgId);
		return d == null ? null : DeliveryText.tooltip(d, zone, names);
	}

	/** Whether a detail line with its path follows each message of yours. */
	public void showPaths(boolean show) {
		showPaths = show;
	}

	public boolean showsPaths() {
		return showPaths;
	}

	/** Members' display names by node id (null or blank when unknown), shown beside their ids in paths. */
	public void names(java.util.function.Function<String, String> displayNames) {
		names = displayNames == null ? id -> null : displayNames;
	}

	/** What is there now has been seen: a "new messages" divider goes before whatever comes after it. */
	public void markRead() {
		readUpTo = entries.isEmpty() ? null : entries.lastKey();
	}

	/** No divider. */
	public void clearNewMarker() {
		readUpTo = null;
	}

	/** The key of the oldest message loaded, the place to page back from; null when none is loaded. */
	public SyncKey oldestMessage() {
		return oldestMessage;
	}

	public boolean containsMessage(String msgId) {
		return messageIds.contains(msgId);
	}

	public int messageCount() {
		return messageIds.size();
	}

	public List<Entry> entries() {
		return List.copyOf(entries.values());
	}

	public Rendered render() {
		StringBuilder text = new StringBuilder();
		List<Span> spans = new ArrayList<>();
		java.util.Map<String, Integer> lines = new java.util.HashMap<>();
		List<Block> blocks = new ArrayList<>();
		LocalDate lastDay = null;
		int line = 0;
		boolean dividerDue = readUpTo != null;
		for (java.util.Map.Entry<Position, Entry> at : entries.entrySet()) {
			Entry e = at.getValue();
			if (dividerDue && at.getKey().compareTo(readUpTo) > 0) {
				dividerDue = false;
				int start = text.length();
				text.append("\u2500\u2500\u2500\u2500 new messages \u2500\u2500\u2500\u2500\n");
				spans.add(new Span(start, text.length() - start - 1, Style.MARKER, ""));
				line++;
			}
			ZonedDateTime when = Instant.ofEpochSecond(e.key().createdTs()).atZone(zone);
			if (!when.toLocalDate().equals(lastDay)) {
				lastDay = when.toLocalDate();
				int start = text.length();
				text.append("\u2500\u2500 ").append(DAY.format(when)).append(" \u2500\u2500\n");
				spans.add(new Span(start, text.length() - start - 1, Style.DAY, ""));
				line++;
			}
			int timeStart = text.length();
			int blockStart = timeStart;
			text.append(TIME.format(when)).append("  ");
			spans.add(new Span(timeStart, 5, Style.TIME, ""));
			switch (e.kind()) {
			case MESSAGE -> {
				lines.put(e.key().msgId(), line);
				boolean own = e.authorNodeId().equals(selfNodeId);
				int nameStart = text.length();
				text.append(e.authorName()).append(own ? " (you)" : "");
				spans.add(new Span(nameStart, text.length() - nameStart, own ? Style.OWN_AUTHOR : Style.AUTHOR,
						e.authorNodeId()));
				text.append(": ");
				int bodyStart = text.length();
				line += appendBody(text, e.text());
				links(text, bodyStart, spans);
				Delivery d = own ? deliveries.get(e.key().msgId()) : null;
				if (d != null) {
					line += appendDelivery(text, d, spans);
				}
			}
			case NOTE -> {
				int start = text.length();
				text.append("\u2022 ");
				line += appendBody(text, e.text());
				spans.add(new Span(start, text.length() - start - 1, Style.NOTE, e.authorNodeId()));
			}
			case LOCAL -> {
				int start = text.length();
				line += appendBody(text, e.text());
				spans.add(new Span(start, text.length() - start - 1, Style.LOCAL, ""));
			}
			}
			blocks.add(new Block(blockStart, text.length(), e));
		}
		return new Rendered(text.toString(), spans, lines, blocks);
	}

	/**
	 * The mark at the end of a message's last line and, with paths shown, the detail line under it; returns the lines
	 * added.
	 */
	private int appendDelivery(StringBuilder text, Delivery d, List<Span> spans) {
		text.setLength(text.length() - 1); // before the message's final line break
		text.append("  ");
		spans.add(new Span(text.length(), 1, d.status() == Delivery.Status.DELIVERED ? Style.DELIVERED : Style.SENT,
				d.msgId()));
		text.append(DeliveryText.mark(d.status())).append('\n');
		if (!showPaths) {
			return 0;
		}
		text.append(INDENT);
		int start = text.length();
		text.append("\u21b3 ").append(DeliveryText.pathLine(d, zone, names));
		spans.add(new Span(start, text.length() - start, Style.PATH, d.msgId()));
		text.append('\n');
		return 1;
	}

	/** Link spans for the addresses in {@code text} from {@code from}. */
	private static void links(CharSequence text, int from, List<Span> spans) {
		java.util.regex.Matcher m = LINK.matcher(text).region(from, text.length());
		while (m.find()) {
			String address = m.group();
			spans.add(new Span(m.start(), address.length(), Style.LINK,
					address.startsWith("www.") ? "https://" + address : address));
		}
	}

	/** Appends a possibly multi-line body with its continuation lines indented; returns the lines used. */
	private static int appendBody(StringBuilder text, String body) {
		String[] parts = body.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
		for (int i = 0; i < parts.length; i++) {
			if (i > 0) {
				text.append(INDENT);
			}
			text.append(parts[i]).append('\n');
		}
		return parts.length;
	}

	public static String shortId(String nodeId) {
		return nodeId.length() <= 8 ? nodeId : nodeId.substring(0, 8) + "\u2026";
	}
}
