package org.felund.transport.gossip.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.felund.api.store.SyncKey;
import org.felund.core.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Range-based set reconciliation (in the style of Negentropy) over the (created_ts, msg_id) keys of a circle.
 * An {@code X_RECON} frame covers the whole key space with consecutive ranges, each given by its upper bound
 * ({@code [ts, idPrefix]}, {@code [null, null]} = end) and a mode:
 * <ul>
 * <li>{@code 0} skip: nothing to do for this range;</li>
 * <li>{@code 1} fingerprint: {@code n, fp}: compare with yours;</li>
 * <li>{@code 2} id list: {@code [ids]}: all my ids in the range; send me what I lack, ask me for what you lack.</li>
 * </ul>
 * The answerer replies to differing fingerprints by splitting its own range ({@link #PARTS} parts) or, when small
 * ({@link #ID_LIST_MAX}), by listing its ids. A frame whose entries are all skips is sent as {@code "r":[]} and
 * ends the reconciliation. The cost grows with the size of the difference, not of the sets.
 */
public final class Reconciler {
	public static final int PARTS = 16;
	public static final int ID_LIST_MAX = 32;
	static final int SKIP = 0;
	static final int FINGERPRINT = 1;
	static final int IDS = 2;

	private final RangeIndex index;
	private final int budgetBytes;

	public Reconciler(RangeIndex index, int budgetBytes) {
		this.index = index;
		this.budgetBytes = budgetBytes;
	}

	/** What to answer, and which messages to push or request as a result. */
	public record Outcome(ArrayNode reply, List<String> push, List<String> request) {
		/** True when every range matched: the reply is the empty "done" frame. */
		public boolean done() {
			return reply.isEmpty();
		}
	}

	/** The opening frame's ranges: one fingerprint over everything, or our whole id list when small. */
	public ArrayNode initial() {
		ArrayNode out = Json.MAPPER.createArrayNode();
		RangeIndex.Summary all = index.summarize(null, null);
		if (all.count() <= ID_LIST_MAX) {
			out.add(idsEntry(null, index.keys(null, null)));
		} else {
			out.add(fingerprintEntry(null, all));
		}
		return out;
	}

	/**
	 * Answers a peer's ranges.
	 *
	 * @throws FrameException if the ranges are malformed or not in ascending order
	 */
	public Outcome respond(JsonNode ranges) throws FrameException {
		if (ranges == null || !ranges.isArray()) {
			throw new FrameException(null, "X_RECON without a range list");
		}
		ArrayNode reply = Json.MAPPER.createArrayNode();
		List<String> push = new ArrayList<>();
		List<String> request = new ArrayList<>();
		int size = 16;
		SyncKey lo = null;
		boolean onlySkips = true;
		for (int i = 0; i < ranges.size(); i++) {
			JsonNode entry = ranges.get(i);
			SyncKey hi = bound(entry);
			if (lo != null && hi != null && hi.compareTo(lo) <= 0) {
				throw new FrameException(null, "X_RECON ranges out of order");
			}
			int mode = entry.get(2).asInt(-1);
			switch (mode) {
			case SKIP -> addSkip(reply, hi);
			case FINGERPRINT -> {
				int theirCount = entry.path(3).asInt(-1);
				String theirFp = entry.path(4).asText("");
				RangeIndex.Summary mine = index.summarize(lo, hi);
				if (mine.count() == theirCount && mine.fingerprint().equals(theirFp)) {
					addSkip(reply, hi);
				} else if (theirCount == 0) {
					push.addAll(ids(index.keys(lo, hi)));
					addSkip(reply, hi);
				} else if (mine.count() <= ID_LIST_MAX) {
					ArrayNode ids = idsEntry(hi, index.keys(lo, hi));
					size += Json.compact(ids).length() + 1;
					reply.add(ids);
					onlySkips = false;
				} else {
					ArrayNode split = Json.MAPPER.createArrayNode();
					SyncKey subLo = lo;
					for (SyncKey subHi : index.splitBounds(lo, hi, PARTS)) {
						split.add(fingerprintEntry(subHi, index.summarize(subLo, subHi)));
						subLo = subHi;
					}
					int splitSize = Json.compact(split).length();
					if (size + splitSize > budgetBytes) {
						// No room: hand the whole rest of the key space back as one fingerprint for the next round.
						reply.add(fingerprintEntry(null, index.summarize(lo, null)));
						return new Outcome(reply, push, request);
					}
					split.forEach(reply::add);
					size += splitSize;
					onlySkips = false;
				}
			}
			case IDS -> {
				JsonNode list = entry.get(3);
				if (list == null || !list.isArray()) {
					throw new FrameException(null, "X_RECON id list missing");
				}
				Set<String> theirs = new HashSet<>();
				for (JsonNode id : list) {
					if (!id.isTextual() || id.textValue().isEmpty() || id.textValue().length() > 128) {
						throw new FrameException(null, "X_RECON id list holds a bad id");
					}
					theirs.add(id.textValue());
				}
				Set<String> mine = new HashSet<>();
				for (SyncKey key : index.keys(lo, hi)) {
					mine.add(key.msgId());
					if (!theirs.contains(key.msgId())) {
						push.add(key.msgId());
					}
				}
				for (String id : theirs) {
					if (!mine.contains(id)) {
						request.add(id);
					}
				}
				addSkip(reply, hi);
			}
			default -> throw new FrameException(null, "X_RECON range with unknown mode " + mode);
			}
			lo = hi;
			if (hi == null) {
				break;
			}
		}
		if (onlySkips) {
			reply.removeAll();
		}
		return new Outcome(reply, push, request);
	}

	private static void addSkip(ArrayNode reply, SyncKey hi) {
		if (!reply.isEmpty()) {
			JsonNode last = reply.get(reply.size() - 1);
			if (last.get(2).asInt() == SKIP) {
				reply.remove(reply.size() - 1);
			}
		}
		ArrayNode skip = boundNode(hi);
		skip.add(SKIP);
		reply.add(skip);
	}

	private static ArrayNode fingerprintEntry(SyncKey hi, RangeIndex.Summary summary) {
		ArrayNode e = boundNode(hi);
		e.add(FINGERPRINT);
		e.add(summary.count());
		e.add(summary.fingerprint());
		return e;
	}

	private static ArrayNode idsEntry(SyncKey hi, List<SyncKey> keys) {
		ArrayNode e = boundNode(hi);
		e.add(IDS);
		ArrayNode ids = e.addArray();
		keys.forEach(k -> ids.add(k.msgId()));
		return e;
	}

	private static ArrayNode boundNode(SyncKey hi) {
		ArrayNode e = Json.MAPPER.createArrayNode();
		if (hi == null) {
			e.addNull();
			e.addNull();
		} else {
			e.add(hi.createdTs());
			e.add(hi.msgId());
		}
		return e;
	}

	private static SyncKey bound(JsonNode entry) throws FrameException {
		if (entry == null || !entry.isArray() || entry.size() < 3) {
			throw new FrameException(null, "X_RECON range malformed");
		}
		JsonNode ts = entry.get(0);
		JsonNode id = entry.get(1);
		if (ts.isNull() && id.isNull()) {
			return null;
		}
		if (!ts.isIntegralNumber() || !ts.canConvertToLong() || !id.isTextual() || id.textValue().length() > 128) {
			throw new FrameException(null, "X_RECON bound malformed");
		}
		return new SyncKey(ts.longValue(), id.textValue());
	}

	private static List<String> ids(List<SyncKey> keys) {
		List<String> out = new ArrayList<>(keys.size());
		keys.forEach(k -> out.add(k.msgId()));
		return out;
	}
}
