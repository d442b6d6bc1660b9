package org.felund.transport.relay.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.felund.transport.relay.RelayStats;

/** Thread-safe counters behind {@link RelayStats}. */
public final class RelayCounters {
	final AtomicLong pushedMessages = new AtomicLong();
	final AtomicLong pushBatches = new AtomicLong();
	final AtomicInteger largestBatch = new AtomicInteger();
	final AtomicLong pulledMessages = new AtomicLong();
	final AtomicLong liveMessages = new AtomicLong();
	final AtomicLong stored = new AtomicLong();
	final AtomicLong duplicates = new AtomicLong();
	final AtomicLong rejected = new AtomicLong();
	final AtomicLong failedRequests = new AtomicLong();
	final AtomicLong socketsOpened = new AtomicLong();

	void batchPushed(int size, int accepted) {
		pushBatches.incrementAndGet();
		pushedMessages.addAndGet(accepted);
		largestBatch.accumulateAndGet(size, Math::max);
	}

	public RelayStats snapshot() {
		return new RelayStats(pushedMessages.get(), pushBatches.get(), largestBatch.get(), pulledMessages.get(),
				liveMessages.get(), stored.get(), duplicates.get(), rejected.get(), failedRequests.get(),
				socketsOpened.get());
	}
}
