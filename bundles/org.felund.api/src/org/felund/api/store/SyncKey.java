package org.felund.api.store;

/** The sort key of a stored message for range-based reconciliation: ordered by ts, then id. */
public record SyncKey(long createdTs, String msgId) implements Comparable<SyncKey> {
	@Override
	public int compareTo(SyncKey o) {
		int c = Long.compare(createdTs, o.createdTs);
		return c != 0 ? c : msgId.compareTo(o.msgId);
	}
}
