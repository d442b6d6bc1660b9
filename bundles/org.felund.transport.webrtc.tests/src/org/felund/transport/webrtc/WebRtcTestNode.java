package org.felund.transport.webrtc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.model.Member;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.transport.relay.RelayOptions;
import org.felund.transport.relay.RelayTransport;
import org.felund.webrtc.IceSettings;
import org.felund.webrtc.RtcRuntime;
import org.felund.webrtc.SignalMailbox;
import org.felund.webrtc.Signaling;

/**
 * A real node (SQLite home, JCA crypto, core Node) with the relay transport and the WebRTC transport, the latter over
 * the loopback workaround so that everything stays on 127.0.0.1.
 */
public final class WebRtcTestNode implements AutoCloseable {
	public static final JcaCryptoService CRYPTO = new JcaCryptoService();

	public final SqliteNodeStore store;
	public final Node node;
	public volatile RelayTransport relay;
	public volatile WebRtcTransport webrtc;

	private WebRtcTestNode(Path home, NodeOptions options) {
		this.store = SqliteNodeStore.open(home, null);
		this.node = new Node(CRYPTO, store.messages(), store.state(), store.secrets(), options);
	}

	public static WebRtcTestNode create(Path home) {
		return new WebRtcTestNode(home, NodeOptions.oneShot());
	}

	/** A node with its own options, e.g. with the routing chain running. */
	public static WebRtcTestNode create(Path home, NodeOptions options) {
		return new WebRtcTestNode(home, options);
	}

	/** {@code creator} makes a circle and {@code joiner} joins it by its invite code; returns the circle's id. */
	public static String shareCircle(WebRtcTestNode creator, WebRtcTestNode joiner, String name) {
		String circle = creator.node.createCircle(name).circle().circleId();
		joiner.node.joinCircle(creator.node.inviteCode(circle, "127.0.0.1:1"));
		return circle;
	}

	/** Fast cadence for loopback tests. */
	public static WebRtcOptions fast(String relayUrl) {
		return WebRtcOptions.defaults().withRelayUrl(relayUrl).withIce(IceSettings.loopbackOnly())
				.withPeerLookup(Duration.ofMillis(200), Duration.ofSeconds(3))
				.withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2))
				.withMailbox(SignalMailbox.Options.defaults().withPolls(Duration.ofMillis(200), Duration.ofMillis(50))
						.withBackoff(Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofSeconds(1)))
				.withSignaling(Signaling.Options.defaults().withIceTimeout(Duration.ofSeconds(8)));
	}

	public static RelayOptions fastRelay(String url) {
		return RelayOptions.fixed(url).withPollIntervals(Duration.ofMillis(250), Duration.ofSeconds(30))
				.withPresence(Duration.ofSeconds(30), Duration.ofMillis(300))
				.withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5))
				.withBackoff(Duration.ofMillis(100), Duration.ofMillis(800));
	}

	public WebRtcTestNode withRelay(RelayOptions options) {
		relay = new RelayTransport(options);
		node.attach(relay);
		return this;
	}

	public WebRtcTestNode withWebRtc(RtcRuntime runtime, WebRtcOptions options) {
		webrtc = new WebRtcTransport(runtime, options);
		node.attach(webrtc);
		return this;
	}

	/**
	 * Puts this node in the relay's peer list of a circle the way the relay transport's presence does (§7.4: a
	 * register signed with the circle's key), for nodes that must not have a relay transport.
	 */
	public void registerWith(String relayUrl, String circleId) throws IOException, InterruptedException {
		register(relayUrl, nodeId(), node.context().circle(circleId).orElseThrow().crypto());
	}

	/** A signed presence register of any node id (e.g. a web client's) in a circle. */
	public static void register(String relayUrl, String nodeId, CircleCrypto crypto)
			throws IOException, InterruptedException {
		String body = "{\"node_id\":\"" + nodeId + "\",\"circle_hint\":\"" + crypto.circleHint()
				+ "\",\"endpoints\":[],\"capabilities\":{\"relay\":false,\"transport\":[]},\"ttl_s\":600,"
				+ "\"signing_key\":\"" + crypto.apiSigningKeyHex() + "\"}";
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		long ts = System.currentTimeMillis() / 1000;
		byte[] nonceBytes = new byte[16];
		new SecureRandom().nextBytes(nonceBytes);
		String nonce = HexFormat.of().formatHex(nonceBytes);
		HttpResponse<String> r = HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(URI.create(relayUrl + "/v1/register")).header("Content-Type", "application/json")
						.header("X-Felund-Node", nodeId).header("X-Felund-Ts", Long.toString(ts))
						.header("X-Felund-Nonce", nonce)
						.header("X-Felund-Signature", crypto.signApiRequest("POST", "/register", bytes, ts, nonce))
						.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (r.statusCode() != 200) {
			throw new IllegalStateException("register failed: HTTP " + r.statusCode() + " " + r.body());
		}
	}

	public String nodeId() {
		return node.identity().nodeId();
	}

	public boolean has(String circleId, String msgId) {
		return store.messages().contains(circleId, msgId);
	}

	public long count(String circleId) {
		return store.messages().count(circleId, null, null);
	}

	public boolean channelTo(WebRtcTestNode other, String circleId) {
		return webrtc.openChannels().getOrDefault(other.nodeId(), java.util.Set.of()).contains(circleId);
	}

	public boolean reachesViaWebRtc(WebRtcTestNode other, String circleId) {
		return node.members(circleId).stream().filter(m -> m.nodeId().equals(other.nodeId()))
				.map(Member::transports).anyMatch(t -> t.contains(WebRtcTransport.ID));
	}

	public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
		await(what, timeout, condition, () -> "");
	}

	public static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics)
			throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - end > 0) {
				throw new AssertionError(
						"Timed out after " + timeout.toMillis() + " ms waiting for " + what + ". " + diagnostics.get());
			}
			Thread.sleep(10);
		}
	}

	@Override
	public void close() {
		try {
			node.close();
		} finally {
			store.close();
		}
	}
}
