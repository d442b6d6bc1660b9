package org.felund.transport.relay.internal;

import java.util.HashSet;
import java.util.Set;

import org.felund.api.crypto.CircleCrypto;

/** What the relay session knows about one circle. Confined to the session's thread. */
final class CircleLink {
	final String circleId;
	final String circleHint;
	CircleCrypto crypto;

	boolean registered;
	/** The TCP endpoint the last registration advertised, or {@code null}. */
	TcpEndpoint registeredEndpoint;
	/** {@link System#nanoTime()} at which presence is refreshed. */
	long presenceDue;
	long peersDue;
	/** Members the last peer lookup listed (reachable through this relay). */
	Set<String> reachable = new HashSet<>();

	boolean cursorsLoaded;
	/** {@link System#nanoTime()} of the next pull: soon without a socket, rarely with one. */
	long pullDue;
	/** {@code since} of the next pull: a relay cursor or a stored-at second, depending on the relay. */
	long pullCursor;
	/** Local store sequence of the last message pushed (or deliberately skipped). */
	long pushSeq;

	LiveSocket socket;
	boolean socketOpen;
	long socketOpenedNanos;
	long socketRetryDue;
	final Backoff socketBackoff;
	String socketProblem;

	/** Why the last request about this circle was refused, or {@code null}. */
	String problem;

	CircleLink(String circleId, String circleHint, CircleCrypto crypto, Backoff socketBackoff) {
		this.circleId = circleId;
		this.circleHint = circleHint;
		this.crypto = crypto;
		this.socketBackoff = socketBackoff;
		long now = System.nanoTime();
		this.presenceDue = now;
		this.peersDue = now;
		this.pullDue = now;
		this.socketRetryDue = now;
	}
}
