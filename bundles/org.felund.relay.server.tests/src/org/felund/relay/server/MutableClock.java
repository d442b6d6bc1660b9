package org.felund.relay.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that tests set and advance (the relay reads it for TTLs, expiry and timestamp windows). */
final class MutableClock extends Clock {
	private final AtomicLong millis;

	MutableClock(long epochSecond) {
		this.millis = new AtomicLong(epochSecond * 1000);
	}

	long seconds() {
		return Math.floorDiv(millis.get(), 1000L);
	}

	void set(long epochSecond) {
		millis.set(epochSecond * 1000);
	}

	void advance(Duration d) {
		millis.addAndGet(d.toMillis());
	}

	@Override
	public long millis() {
		return millis.get();
	}

	@Override
	public Instant instant() {
		return Instant.ofEpochMilli(millis.get());
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("tests use UTC only");
	}
}
