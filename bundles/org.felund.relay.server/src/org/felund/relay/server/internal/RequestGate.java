package org.felund.relay.server.internal;

import java.util.concurrent.TimeUnit;

/**
 * Counts requests in progress so that a stopping server can let them finish (and deliver their responses)
 * before it closes connections; once closed, the gate turns new requests away.
 */
final class RequestGate {
	private int inFlight;
	private boolean closed;

	/** @return {@code false} when the server is stopping and the request must be refused */
	synchronized boolean enter() {
		if (closed) {
			return false;
		}
		inFlight++;
		return true;
	}

	synchronized void exit() {
		if (--inFlight == 0) {
			notifyAll();
		}
	}

	/** Refuses new requests and waits until the running ones are done or the timeout passes. */
	synchronized boolean closeAndAwaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
		closed = true;
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		while (inFlight > 0) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			TimeUnit.NANOSECONDS.timedWait(this, left);
		}
		return true;
	}
}
