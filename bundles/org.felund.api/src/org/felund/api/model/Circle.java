package org.felund.api.model;

/**
 * A circle as shown to users. The secret never appears here; it stays in the key store and reaches
 * code that needs it only as a {@link org.felund.api.crypto.CircleCrypto}.
 *
 * @param name the circle's label from CIRCLE_NAME_EVT, or {@code ""}
 * @param bootstrapPeer the peer hint from the invite it was joined with ({@code host:port} or a relay URL), or {@code ""}
 */
public record Circle(String circleId, String circleHint, String name, long joinedTs, String bootstrapPeer) {
	public String label() {
		return name == null || name.isBlank() ? circleId : name;
	}
}
