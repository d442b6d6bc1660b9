package org.felund.api.transport;

/** What the node did with one inbound message. */
public enum ReceiveResult {
	/** Verified and stored for the first time. */
	STORED,
	/** Already stored; ignored. */
	DUPLICATE,
	/** Bad MAC or envelope, wrong circle, or malformed: dropped. */
	REJECTED
}
