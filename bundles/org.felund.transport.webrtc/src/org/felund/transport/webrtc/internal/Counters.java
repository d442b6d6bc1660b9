package org.felund.transport.webrtc.internal;

import java.util.concurrent.atomic.AtomicLong;

import org.felund.transport.webrtc.WebRtcStats;

/** The transport's counters; shared by its attachments. */
public final class Counters {
	final AtomicLong offered = new AtomicLong();
	final AtomicLong answered = new AtomicLong();
	final AtomicLong authenticated = new AtomicLong();
	final AtomicLong extended = new AtomicLong();
	final AtomicLong refused = new AtomicLong();
	final AtomicLong authFailures = new AtomicLong();
	final AtomicLong messagesIn = new AtomicLong();
	final AtomicLong stored = new AtomicLong();
	final AtomicLong messagesOut = new AtomicLong();

	public WebRtcStats snapshot() {
		return new WebRtcStats(offered.get(), answered.get(), authenticated.get(), extended.get(), refused.get(),
				messagesIn.get(), stored.get(), messagesOut.get());
	}
}
