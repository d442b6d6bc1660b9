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
import org.felund.api.node.SystemNote;
import org.felund.api.store.SyncKey;

/**
 * What the chat part shows for one channel: messages, system lines for control events and local lines (command
 * output), ordered by time, and how that reads as text with day dividers, times and author names.
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
		DAY, TIME, AUTHOR, OWN_AUTHOR, NOTE, LOCAL
	}

	public record Span(int start, int length, Style style, String authorNodeId) {
	}

	/** The rendered text, its styled spans, and the line at which each message starts. */
	public record Rendered(String text, List<Span> spans, java.util.Map<String, Integer> lineOfMessage) {
	}

	private final String selfNodeId;
	private final ZoneId zone;
	private final NavigableMap<SyncKey, Entry> entries = new TreeMap<>();
	private final java.util.Set<String> messageIds = new java.util.HashSet<>();
	private SyncKey oldestMessage;
	private long localSeq;

	public ChatTranscript(String selfNodeId, ZoneId zone) {
		this.selfNodeId = selfNodeId;
		this.zone = zone;
	}

	/** Adds messages (any order); ids already present are ignored. Returns how many were new. */
	public int addMessages(List<ChatMessage> messages) {
		int added = 0;
		for (ChatMessage m : messages) {
			if (m.isControl() || !messageIds.add(m.msgId())) {
				continue;
			}
			SyncKey key = new SyncKey(m.createdTs(), m.msgId());
			String name = m.displayName().isBlank() ? shortId(m.authorNodeId()) : m.displayName();
			entries.put(key, new Entry(Kind.MESSAGE, key, m.authorNodeId(), name, m.text()));
			if (oldestMessage == null || key.compareTo(oldestMessage) < 0) {
				oldestMessage = key;
			}
			added++;
		}
		return added;
	}

	/** Adds system lines; a note already present (same message id) is replaced by its newer wording. */
	public void addNotes(List<SystemNote> notes) {
		for (SystemNote n : notes) {
			SyncKey key = new SyncKey(n.createdTs(), n.msgId());
			entries.put(key, new Entry(Kind.NOTE, key, n.authorNodeId(), "", n.text()));
		}
	}

	/** A line only this window shows (command output, errors), stamped now and kept after older entries. */
	public void addLocal(String text, long nowSeconds) {
		SyncKey key = new SyncKey(nowSeconds, "~local-" + String.format(Locale.ROOT, "%012d", localSeq++));
		entries.put(key, new Entry(Kind.LOCAL, key, "", "", text));
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
		LocalDate lastDay = null;
		int line = 0;
		for (Entry e : entries.values()) {
			ZonedDateTime when = Instant.ofEpochSecond(e.key().createdTs()).atZone(zone);
			if (!when.toLocalDate().equals(lastDay)) {
				lastDay = when.toLocalDate();
				int start = text.length();
				text.append("\u2500\u2500 ").append(DAY.format(when)).append(" \u2500\u2500\n");
				spans.add(new Span(start, text.length() - start - 1, Style.DAY, ""));
				line++;
			}
			int timeStart = text.length();
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
				line += appendBody(text, e.text());
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
		}
		return new Rendered(text.toString(), spans, lines);
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
