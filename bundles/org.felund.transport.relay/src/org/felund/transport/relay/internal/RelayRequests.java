package org.felund.transport.relay.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.felund.api.crypto.CircleCrypto;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The exact bytes and headers of the relay requests (protocol §3.8, §7.4, §7.5): bodies in the key order both
 * reference clients use, and the {@code X-Felund-*} signature headers over the bytes actually sent. Pure functions,
 * so tests can compare them with the reference vectors byte for byte.
 */
public final class RelayRequests {
	public static final String HEADER_NODE = "X-Felund-Node";
	public static final String HEADER_TS = "X-Felund-Ts";
	public static final String HEADER_NONCE = "X-Felund-Nonce";
	public static final String HEADER_SIGNATURE = "X-Felund-Signature";

	/** Signed paths: the route after {@code /v1}, whatever the base URL (§3.8). */
	public static final String REGISTER = "/register";
	public static final String PEERS = "/peers";
	public static final String MESSAGES = "/messages";

	private RelayRequests() {
	}

	/**
	 * {@code POST /v1/register}: presence with the circle's {@code signing_key}, so a relay that enforces signatures
	 * can bind the key from this self-signed request.
	 *
	 * @param endpoint the gossip address to advertise with a concrete host, or {@code null} when not listening
	 */
	public static byte[] registerBody(String nodeId, String circleHint, TcpEndpoint endpoint, boolean canAnchor,
			long ttlSeconds, String signingKeyHex) {
		ObjectNode o = Json.object();
		o.put("node_id", nodeId);
		o.put("circle_hint", circleHint);
		ArrayNode endpoints = o.putArray("endpoints");
		if (endpoint != null) {
			ObjectNode e = endpoints.addObject();
			e.put("transport", "tcp");
			e.put("host", endpoint.host());
			e.put("port", endpoint.port());
			e.put("family", endpoint.family());
			e.put("nat", "unknown");
		}
		ObjectNode capabilities = o.putObject("capabilities");
		capabilities.put("relay", false);
		ArrayNode transports = capabilities.putArray("transport");
		if (endpoint != null) {
			transports.add("tcp");
		}
		capabilities.put("can_anchor", canAnchor);
		o.put("ttl_s", ttlSeconds);
		o.put("signing_key", signingKeyHex);
		return Json.compactBytes(o);
	}

	/** {@code DELETE /v1/register}. */
	public static byte[] unregisterBody(String nodeId, String circleHint) {
		ObjectNode o = Json.object();
		o.put("node_id", nodeId);
		o.put("circle_hint", circleHint);
		return Json.compactBytes(o);
	}

	/** {@code POST /v1/messages} with relay envelopes as {@code MessageJson.toRelayEnvelope} builds them. */
	public static byte[] messagesBody(String circleHint, List<ObjectNode> envelopes) {
		ObjectNode o = Json.object();
		o.put("circle_hint", circleHint);
		ArrayNode list = o.putArray("messages");
		envelopes.forEach(list::add);
		return Json.compactBytes(o);
	}

	public static String peersQuery(String circleHint, int limit) {
		return "circle_hint=" + RelayUrl.encode(circleHint) + "&limit=" + limit;
	}

	public static String messagesQuery(String circleHint, long since, int limit) {
		return "circle_hint=" + RelayUrl.encode(circleHint) + "&since=" + since + "&limit=" + limit;
	}

	/** The four signature headers in the order the clients send them. */
	public static Map<String, String> signedHeaders(CircleCrypto crypto, String nodeId, String method,
			String signedPath, byte[] body, long ts, String nonce) {
		Map<String, String> h = new LinkedHashMap<>();
		h.put(HEADER_NODE, nodeId);
		h.put(HEADER_TS, Long.toString(ts));
		h.put(HEADER_NONCE, nonce);
		h.put(HEADER_SIGNATURE, crypto.signApiRequest(method, signedPath, body, ts, nonce));
		return h;
	}
}
