package org.felund.transport.gossip.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.felund.api.model.ChatMessage;
import org.felund.api.store.SyncKey;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;

/**
 * Sizes the frames of a sync with a reference peer, which neither splits nor pages (§10 #1): every list we send
 * must fit one line, and what we make a reference node store must keep its own next {@code MSGS_HAVE} within
 * its writer limit, or that node can never sync the circle again.
 * <p>
 * Which subset: the newest messages by {@code created_ts} that the peer lacks. A reference node keeps the newest
 * 1,000 of a circle and can only advertise about 699 ids (466 in plaintext sessions), so the newest window is the
 * only state it can converge to; offering old messages first would have them pruned or crowd out the new ones.
 */
public final class SyncPlanner {
	private SyncPlanner() {
	}

	/** Bytes of {@code {"t":TYPE,"circle_id":C,"msg_ids":[ids]}} written compactly. */
	public static int idListFrameBytes(String type, String circleId, Collection<String> ids) {
		int bytes = ("{\"t\":\"" + type + "\",\"circle_id\":\"\",\"msg_ids\":[]}").length() + circleId.length();
		for (String id : ids) {
			bytes += id.length() + 2 + 1;
		}
		return ids.isEmpty() ? bytes : bytes - 1;
	}

	/**
	 * The ids to advertise in {@code MSGS_HAVE}: all of them when they fit, otherwise the newest ones the peer is
	 * not known to have, then the newest others; returned ascending as the reference sends them.
	 *
	 * @param ours every key of the circle
	 * @param peerHas the ids the peer advertised last time, or an empty set when unknown
	 */
	public static List<String> haveSubset(String circleId, List<SyncKey> ours, Set<String> peerHas, int budgetBytes) {
		List<String> all = new ArrayList<>(ours.size());
		ours.forEach(k -> all.add(k.msgId()));
		if (idListFrameBytes(Frames.MSGS_HAVE, circleId, all) <= budgetBytes) {
			all.sort(null);
			return all;
		}
		List<SyncKey> newestFirst = new ArrayList<>(ours);
		newestFirst.sort(Comparator.reverseOrder());
		List<String> chosen = new ArrayList<>();
		int bytes = idListFrameBytes(Frames.MSGS_HAVE, circleId, List.of());
		for (int pass = 0; pass < 2; pass++) {
			for (SyncKey key : newestFirst) {
				boolean theyHaveIt = peerHas.contains(key.msgId());
				if ((pass == 0) == theyHaveIt) {
					continue;
				}
				int cost = key.msgId().length() + 3;
				if (bytes + cost > budgetBytes) {
					break;
				}
				bytes += cost;
				chosen.add(key.msgId());
			}
		}
		chosen.sort(null);
		return chosen;
	}

	/**
	 * How many more id bytes a reference peer's next {@code MSGS_HAVE} can carry, given the ids it just advertised,
	 * minus a headroom of 5% of the line: room for the peer's own next messages, so that filling it up to the limit
	 * does not leave it unable to sync the first message its user writes.
	 */
	public static int haveRoom(String circleId, Collection<String> theirHave, boolean encrypted) {
		int max = FrameLimits.maxJsonBytes(encrypted);
		return Math.max(0, max - max / 20 - idListFrameBytes(Frames.MSGS_HAVE, circleId, theirHave));
	}

	/** The missing ids to ask for: at most {@code maxCount} and within the frame budget, ascending. */
	public static List<String> requestSubset(String circleId, Collection<String> missing, int maxCount, int budgetBytes) {
		List<String> sorted = new ArrayList<>(missing);
		sorted.sort(null);
		List<String> chosen = new ArrayList<>();
		int bytes = idListFrameBytes(Frames.MSGS_REQ, circleId, List.of());
		for (String id : sorted) {
			int cost = id.length() + 3;
			if (chosen.size() >= maxCount || bytes + cost > budgetBytes) {
				break;
			}
			bytes += cost;
			chosen.add(id);
		}
		return chosen;
	}

	/**
	 * The requested messages to put into one {@code MSGS_SEND}: newest first until the frame budget or the
	 * peer's remaining {@code MSGS_HAVE} room ({@code roomBytes}, in id bytes) is used, then in request order.
	 */
	public static List<ChatMessage> sendSubset(String circleId, List<ChatMessage> requestedInOrder, int budgetBytes,
			int roomBytes) {
		List<ChatMessage> newestFirst = new ArrayList<>(requestedInOrder);
		newestFirst.sort(Comparator.comparing((ChatMessage m) -> new SyncKey(m.createdTs(), m.msgId())).reversed());
		int bytes = ("{\"t\":\"MSGS_SEND\",\"circle_id\":\"\",\"messages\":[]}").length() + circleId.length();
		int room = roomBytes;
		Set<String> chosen = new HashSet<>();
		for (ChatMessage m : newestFirst) {
			int cost = Json.ascii(MessageJson.toWire(m)).length() + 1;
			int idCost = m.msgId().length() + 3;
			if (bytes + cost > budgetBytes || idCost > room) {
				continue;
			}
			bytes += cost;
			room -= idCost;
			chosen.add(m.msgId());
		}
		return requestedInOrder.stream().filter(m -> chosen.contains(m.msgId())).toList();
	}
}
