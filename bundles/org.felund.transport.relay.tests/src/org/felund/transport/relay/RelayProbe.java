package org.felund.transport.relay;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.felund.api.crypto.CircleCrypto;
import org.felund.transport.relay.internal.RelayHttp;
import org.felund.transport.relay.internal.RelayRequests;
import org.felund.transport.relay.internal.RelayUrl;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads what a relay keeps for a circle with signed requests of its own: the test's view of the relay. */
public final class RelayProbe {
	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	private static int nonce;

	private final RelayUrl url;
	private final CircleCrypto crypto;
	private final RelayHttp http = new RelayHttp(CLIENT, Duration.ofSeconds(5));

	public RelayProbe(String url, CircleCrypto crypto) {
		this.url = RelayUrl.parse(url);
		this.crypto = crypto;
	}

	/** The ids of the first page of messages the relay keeps for the circle. */
	public Set<String> messageIds() throws Exception {
		Map<String, String> headers = RelayRequests.signedHeaders(crypto, "probe0000000000000000000", "GET",
				RelayRequests.MESSAGES, new byte[0], System.currentTimeMillis() / 1000,
				String.format("%032x", next() + System.nanoTime()));
		ObjectNode reply = http.send("GET", url.api("messages", RelayRequests.messagesQuery(crypto.circleHint(), 0, 500)),
				null, headers, null);
		Set<String> ids = new LinkedHashSet<>();
		reply.path("messages").forEach(m -> ids.add(m.path("msg_id").asText()));
		return ids;
	}

	private static synchronized int next() {
		return ++nonce;
	}
}
