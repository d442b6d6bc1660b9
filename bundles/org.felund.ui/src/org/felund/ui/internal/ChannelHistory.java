package org.felund.ui.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Member;
import org.felund.api.node.NodeService;
import org.felund.api.node.SystemNote;
import org.felund.api.store.SyncKey;

/**
 * The stretch of one channel's history loaded into a transcript: the newest page first, older pages as the reader
 * goes back, with the channel's system lines (from the circle's control messages) and the delivery states of your
 * messages in each page. No SWT: the chat part decides what to show and when.
 */
public final class ChannelHistory {
	/** Messages per history page. */
	public static final int PAGE = 100;
	/** Control messages read per page when looking for the system lines of a channel. */
	static final int CONTROL_PAGE = 500;
	static final int MAX_CONTROL_PAGES = 4;
	/** Control messages read when the circle changed. */
	static final int RECENT_CONTROL = 50;

	private final NodeService node;
	private final ChannelRef channel;
	private final ChatTranscript transcript;
	private boolean hasOlder;

	public ChannelHistory(NodeService node, ChannelRef channel, ChatTranscript transcript) {
		this.node = node;
		this.channel = channel;
		this.transcript = transcript;
	}

	/** Loads the newest page with its system lines and delivery states; whether it held any message. */
	public boolean loadNewest() {
		List<ChatMessage> page = node.history(channel.circleId(), channel.channelId(), null, PAGE);
		add(page);
		return !page.isEmpty();
	}

	/** Loads the page before the oldest message loaded; whether there was one to load. */
	public boolean loadOlder() {
		if (!hasOlder) {
			return false;
		}
		add(node.history(channel.circleId(), channel.channelId(), transcript.oldestMessage(), PAGE));
		return true;
	}

	/** Pages back, at most {@code maxPages} pages, until a message is loaded; whether it is. */
	public boolean pageBackTo(String msgId, int maxPages) {
		for (int i = 0; i < maxPages && !transcript.containsMessage(msgId) && hasOlder; i++) {
			loadOlder();
		}
		return transcript.containsMessage(msgId);
	}

	/** Whether older messages than those loaded are there. */
	public boolean hasOlder() {
		return hasOlder;
	}

	/** Whether a message is older than the loaded pages (a late sync): paging back brings it, without leaving a gap. */
	public boolean beforeLoaded(ChatMessage message) {
		SyncKey oldest = transcript.oldestMessage();
		return hasOlder && oldest != null && new SyncKey(message.createdTs(), message.msgId()).compareTo(oldest) < 0;
	}

	/** After a change in the circle: its news is in the newest control messages (a full load reads further back). */
	public void addRecentNotes() {
		List<SystemNote> notes = new ArrayList<>();
		for (ChatMessage m : node.history(channel.circleId(), ChatMessage.CONTROL, null, RECENT_CONTROL)) {
			node.describe(m).filter(this::belongsHere).ifPresent(notes::add);
		}
		transcript.addNotes(notes);
	}

	/** Members' display names by node id (ids only once the circle was left). */
	public Function<String, String> memberNames() {
		return memberNames(node, channel);
	}

	/** Members' display names by node id, for a channel that may be null (then: ids only). */
	public static Function<String, String> memberNames(NodeService node, ChannelRef channel) {
		Map<String, String> names = new HashMap<>();
		if (node != null && channel != null) {
			try {
				for (Member m : node.members(channel.circleId())) {
					names.put(m.nodeId(), m.displayName());
				}
			} catch (IllegalArgumentException left) {
				// the circle was left meanwhile: ids only
			}
		}
		return names::get;
	}

	private void add(List<ChatMessage> page) {
		transcript.addMessages(page);
		loadDeliveries(page);
		hasOlder = page.size() == PAGE;
		loadNotes();
	}

	/** The delivery states of the messages of yours in a page of history. */
	private void loadDeliveries(List<ChatMessage> page) {
		String self = node.identity().nodeId();
		List<String> own = page.stream().filter(m -> m.authorNodeId().equals(self)).map(ChatMessage::msgId).toList();
		if (!own.isEmpty()) {
			transcript.deliveries(node.deliveries(channel.circleId(), own));
		}
	}

	/** The system lines of this channel, back to the oldest loaded message (or all, once history is complete). */
	private void loadNotes() {
		SyncKey before = null;
		SyncKey oldest = transcript.oldestMessage();
		List<SystemNote> notes = new ArrayList<>();
		for (int i = 0; i < MAX_CONTROL_PAGES; i++) {
			List<ChatMessage> page = node.history(channel.circleId(), ChatMessage.CONTROL, before, CONTROL_PAGE);
			for (ChatMessage m : page) {
				node.describe(m).filter(this::belongsHere).ifPresent(notes::add);
			}
			if (page.size() < CONTROL_PAGE) {
				break;
			}
			ChatMessage last = page.get(page.size() - 1);
			before = new SyncKey(last.createdTs(), last.msgId());
			if (hasOlder && oldest != null && before.compareTo(oldest) < 0) {
				break;
			}
		}
		transcript.addNotes(notes);
	}

	/** A system line of this channel, within the stretch of history loaded so far. */
	private boolean belongsHere(SystemNote note) {
		SyncKey oldest = transcript.oldestMessage();
		return note.channelId().equals(channel.channelId()) && (!hasOlder || oldest == null
				|| new SyncKey(note.createdTs(), note.msgId()).compareTo(oldest) > 0);
	}
}
