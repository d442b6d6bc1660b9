package org.felund.api.node;

/**
 * Signs HTTP requests to a relay for one circle, as protocol §3.8 signs them ({@code X-Felund-Signature}, keyed by the
 * circle's API key), for a plugin that talks to a relay itself: the calls plugin's signal mailbox, for one, which a
 * relay run with {@code --signatures strict} refuses unsigned. The circle's key stays inside the node service; a
 * signer only signs. Obtained from {@link NodeService#relaySigner}.
 */
@FunctionalInterface
public interface RelaySigner {
	/**
	 * The {@code X-Felund-Signature} value of one request.
	 *
	 * @param method the HTTP method, e.g. {@code POST}
	 * @param path the API path after {@code /v1}, e.g. {@code /signal}
	 * @param body the request body (empty for none)
	 * @param ts the {@code X-Felund-Ts} value (Unix seconds)
	 * @param nonce the {@code X-Felund-Nonce} value
	 * @throws IllegalStateException when the node is no longer in the circle
	 */
	String sign(String method, String path, byte[] body, long ts, String nonce);
}
