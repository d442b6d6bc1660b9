package org.felund.api.call;

/** How the media connection with one peer is doing, from its statistics. */
public enum Health {
	/** Negotiating or checking connectivity. */
	CONNECTING,
	/** Media flows. */
	CONNECTED,
	/** Connected, but packets are lost or the round trip is long enough to be heard or seen. */
	DEGRADED,
	/** No connection (ICE failed or timed out, or the connection was lost); retried while both stay in the call. */
	FAILED
}
