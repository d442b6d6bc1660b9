package org.felund.api.call;

/** What a node is in a call. */
public enum Role {
	/** Started the call: takes part, and sends to the viewers. */
	HOST,
	/** Joined: sends and receives media with the other participants. */
	PARTICIPANT,
	/** Watches: receives the host's media only and sends nothing. */
	VIEWER,
	/** Not in the call. */
	NONE
}
