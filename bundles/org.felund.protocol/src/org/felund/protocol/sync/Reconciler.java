package org.felund.protocol.sync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.felund.api.model.ProtocolException;
import org.felund.api.store.SyncKey;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Range-based set reconciliation (in the style of Negentropy) over the (created_ts, msg_id) keys of a circle.
 * An {@code X_RECON} frame covers the whole key space with consecutive ranges, each given by its upper bound
 * ({@code ts, idPrefix}; {@code null, null} = end of the key space; {@code ts} counts from the previous bound of
 * the frame, so it is short) and what follows the bound:
 * <ul>
 * <li>nothing: skip, nothing to do for this range;</li>
 * <li>{@code n, fp}: my count and fingerprint: compare with yours;</li>
 * <li>{@code [ids]}: all my ids in the range; send me what I lack, ask me for what you lack.</li>
 * </ul>
 * The answerer replies to differing fingerprints by splitting its own range ({@link #PARTS} parts) or, when small
 * ({@link #ID_LIST_MAX}), by listing its ids. A frame whose entries are all skips is sent as {@code "r":[]} and
 * ends the reconciliation. The cost grows with the size of the difference, not of the sets.
 * <p>
 * Shared by every transport that speaks the Felund extensions (gossip over TCP, WebRTC DataChannels); the frames
 * are described in docs/protocol-extensions.md.
 */
public final class Reconciler {
	public static final int PARTS = 16;
	public static final int ID_LIST_MAX = 32;
	static final int SKIP = 0;
	static final int FINGERPRINT = 1;
	static final int IDS = 2;
	/**
	 * Most bytes of one skip entry: a 20-digit relative timestamp and a 128-character id (the longest bound accepted),
	 * brackets, quotes and commas.
	 */
	static final int SKIP_MAX = 20 + 128 + 8;
	/** Most bytes of the entry that hands the rest back: {@code [null,null,count,fingerprint]}. */
	static final int HAND_BACK_MAX = 160;

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
			out.add(idsEntry(boundNode(null, 0), index.keys(null, null)));
		} else {
			out.add(fingerprintEntry(boundNode(null, 0), all));
		}
		return out;
	}

	/** Writes the upper bounds of one frame, each timestamp relative to the previous bound. */
	private static final class Bounds {
		private long previousTs;
		private boolean any;

		ArrayNode next(SyncKey hi) {
			ArrayNode node = boundNode(hi, any ? previousTs : 0);
			if (hi != null) {
				previousTs = hi.createdTs();
				any = true;
			}
			return node;
		}

		Bounds copy() {
			Bounds b = new Bounds();
			b.previousTs = previousTs;
			b.any = any;
			return b;
		}

		void set(Bounds other) {
			previousTs = other.previousTs;
			any = other.any;
		}
	}

	/**
	 * Answers a peer's ranges.
	 *
	 * @ if the ranges are malformed or not in ascending order
	 */
	public Outcome respond(JsonNode ranges) {
		if (ranges == null || !ranges.isArray()) {
			throw new ProtocolException("X_RECON without a range list");
		}
		ArrayNode reply = Json.MAPPER.createArrayNode();
		List<String> push = new ArrayList<>();
		List<String> request = new ArrayList<>();
		int size = 16;
		SyncKey lo = null;
		boolean onlySkips = true;
		Bounds writer = new Bounds();
		for (int i = 0; i < ranges.size(); i++) {
			JsonNode entry = ranges.get(i);
			SyncKey hi = bound(entry, lo);
			if (lo != null && hi != null && hi.compareTo(lo) <= 0) {
				throw new ProtocolException("X_RECON ranges out of order");
			}
			int mode = mode(entry);
			// Every entry is counted (a skip at its full size, though consecutive skips merge), and an entry that
			// would not fit hands the rest back: the reply must fit one line, or the session fails on it.
			if (size + SKIP_MAX + HAND_BACK_MAX > budgetBytes) {
				return handBack(reply, writer, lo, push, request);
			}
			switch (mode) {
			case SKIP -> size += addSkip(reply, hi, writer);
			case FINGERPRINT -> {
				int theirCount = entry.get(2).asInt(-1);
				String theirFp = entry.get(3).asText("");
				RangeIndex.Summary mine = index.summarize(lo, hi);
				if (mine.count() == theirCount && mine.fingerprint().equals(theirFp)) {
					size += addSkip(reply, hi, writer);
				} else if (theirCount == 0) {
					push.addAll(ids(index.keys(lo, hi)));
					size += addSkip(reply, hi, writer);
				} else if (mine.count() <= ID_LIST_MAX) {
					Bounds trial = writer.copy();
					ArrayNode ids = idsEntry(trial.next(hi), index.keys(lo, hi));
					int idsSize = Json.compact(ids).length() + 1;
					if (size + idsSize + HAND_BACK_MAX > budgetBytes) {
						return handBack(reply, writer, lo, push, request);
					}
					writer.set(trial);
					size += idsSize;
					reply.add(ids);
					onlySkips = false;
				} else {
					ArrayNode split = Json.MAPPER.createArrayNode();
					SyncKey subLo = lo;
					Bounds trial = writer.copy();
					for (SyncKey subHi : index.splitBounds(lo, hi, PARTS)) {
						split.add(fingerprintEntry(trial.next(subHi), index.summarize(subLo, subHi)));
						subLo = subHi;
					}
					int splitSize = Json.compact(split).length();
					if (size + splitSize + HAND_BACK_MAX > budgetBytes) {
						return handBack(reply, writer, lo, push, request);
					}
					writer.set(trial);
					split.forEach(reply::add);
					size += splitSize;
					onlySkips = false;
				}
			}
			case IDS -> {
				JsonNode list = entry.get(2);
				if (list == null || !list.isArray()) {
					throw new ProtocolException("X_RECON id list missing");
				}
				Set<String> theirs = new HashSet<>();
				for (JsonNode id : list) {
					if (!id.isTextual() || id.textValue().isEmpty() || id.textValue().length() > 128) {
						throw new ProtocolException("X_RECON id list holds a bad id");
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
				size += addSkip(reply, hi, writer);
			}
			default -> throw new ProtocolException("X_RECON range malformed");
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

	/** No room: the whole rest of the key space goes back as one fingerprint for the next round. */
	private Outcome handBack(ArrayNode reply, Bounds writer, SyncKey lo, List<String> push, List<String> request) {
		reply.add(fingerprintEntry(writer.next(null), index.summarize(lo, null)));
		return new Outcome(reply, push, request);
	}

	/** Adds a skip up to {@code hi}; returns the bytes it may cost at most. */
	private static int addSkip(ArrayNode reply, SyncKey hi, Bounds writer) {
		if (!reply.isEmpty() && reply.get(reply.size() - 1).size() == 2) {
			// Consecutive skips merge: drop the previous one and let this bound cover both (re-encode from its start).
			reply.remove(reply.size() - 1);
			writer.set(rebuild(reply));
		}
		ArrayNode skip = writer.next(hi);
		reply.add(skip);
		return Json.compact(skip).length() + 1;
	}

	/** The bound writer state after the given entries (their bounds' absolute timestamps). */
	private static Bounds rebuild(ArrayNode reply) {
		Bounds b = new Bounds();
		long ts = 0;
		for (JsonNode e : reply) {
			if (!e.get(0).isNull()) {
				ts = (b.any ? ts : 0) + e.get(0).longValue();
				b.previousTs = ts;
				b.any = true;
			}
		}
		return b;
	}

	private static ArrayNode fingerprintEntry(ArrayNode bound, RangeIndex.Summary summary) {
		bound.add(summary.count());
		bound.add(summary.fingerprint());
		return bound;
	}

	private static ArrayNode idsEntry(ArrayNode bound, List<SyncKey> keys) {
		ArrayNode ids = bound.addArray();
		keys.forEach(k -> ids.add(k.msgId()));
		return bound;
	}

	private static ArrayNode boundNode(SyncKey hi, long previousTs) {
		ArrayNode e = Json.MAPPER.createArrayNode();
		if (hi == null) {
			e.addNull();
			e.addNull();
		} else {
			e.add(hi.createdTs() - previousTs);
			e.add(hi.msgId());
		}
		return e;
	}

	private static int mode(JsonNode entry) {
		return switch (entry.size()) {
		case 2 -> SKIP;
		case 3 -> entry.get(2).isArray() ? IDS : -1;
		case 4 -> FINGERPRINT;
		default -> throw new ProtocolException("X_RECON range malformed");
		};
	}

	/** Reads a bound; its timestamp is relative to the previous bound ({@code lo}), absolute for the first. */
	private static SyncKey bound(JsonNode entry, SyncKey lo) {
		if (entry == null || !entry.isArray() || entry.size() < 2) {
			throw new ProtocolException("X_RECON range malformed");
		}
		JsonNode ts = entry.get(0);
		JsonNode id = entry.get(1);
		if (ts.isNull() && id.isNull()) {
			return null;
		}
		if (!ts.isIntegralNumber() || !ts.canConvertToLong() || !id.isTextual() || id.textValue().length() > 128) {
			throw new ProtocolException("X_RECON bound malformed");
		}
		long base = lo == null ? 0 : lo.createdTs();
		if (lo != null && ts.longValue() < 0) {
			throw new ProtocolException("X_RECON ranges out of order");
		}
		try {
			return new SyncKey(Math.addExact(base, ts.longValue()), id.textValue());
		} catch (ArithmeticException e) {
			throw new ProtocolException("X_RECON bound out of range");
		}
	}

	private static List<String> ids(List<SyncKey> keys) {
		List<String> out = new ArrayList<>(keys.size());
		keys.forEach(k -> out.add(k.msgId()));
		return out;
	}
}
