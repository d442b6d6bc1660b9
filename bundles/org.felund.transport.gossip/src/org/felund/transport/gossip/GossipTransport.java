package org.felund.transport.gossip;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.felund.api.anchor.AnchorStore;
import org.felund.api.model.Delivery;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.transport.gossip.internal.GossipEngine;
import org.felund.transport.gossip.internal.PeerAddress;

/**
 * The felund TCP gossip transport (protocol §4) on Netty: a JSON-lines server and client, the HELLO /
 * CHALLENGE / HELLO_AUTH / WELCOME handshake, AES-GCM session frames, the PEERS / MSGS_* sync, the anchor
 * exchange and the gossip loop. Sessions without encryption are refused unless
 * {@link GossipOptions#allowLegacyPlaintext()}. With our own nodes it negotiates the Felund extensions
 * (docs/protocol-extensions.md): sequenced frames, live push and range reconciliation.
 * <p>
 * Build one per node with {@code new GossipTransport(options)} and {@link org.felund.api.transport.Transport#attach}
 * it to the node; {@link #detach()} releases the port and every thread.
 */
public final class GossipTransport implements Transport {
	private static final SecureRandom RANDOM = new SecureRandom();

	private final GossipEngine engine;
	private final MemoryAnchorStore anchorStore;

	public GossipTransport(GossipOptions options) {
		this(options, GossipTransport::randomNonce, () -> System.currentTimeMillis() / 1000);
	}

	/**
	 * With a chosen source of handshake nonces (32 hex) and clock (Unix seconds): for reproducible transcripts
	 * in tests. Production code uses {@link #GossipTransport(GossipOptions)}.
	 */
	public GossipTransport(GossipOptions options, Supplier<String> nonceSource, LongSupplier clockSeconds) {
		this.anchorStore = new MemoryAnchorStore();
		this.engine = new GossipEngine(options, nonceSource, clockSeconds, anchorStore);
	}

	private static String randomNonce() {
		byte[] nonce = new byte[16];
		RANDOM.nextBytes(nonce);
		return HexFormat.of().formatHex(nonce);
	}

	@Override
	public String id() {
		return GossipEngine.TRANSPORT_ID;
	}

	/** Binds the server (throws {@link IllegalStateException} if the port is taken) and starts gossiping. */
	@Override
	public void attach(TransportContext context) {
		engine.start(context, this);
	}

	@Override
	public void detach() {
		engine.stop();
	}

	@Override
	public TransportState state() {
		return engine.state();
	}

	@Override
	public void syncNow(String circleId) {
		engine.syncNow(circleId);
	}

	@Override
	public boolean route(String circleId, String msgId, Delivery.Route route, String targetNodeId) {
		return engine.route(circleId, msgId, route, targetNodeId);
	}

	/** The port the server listens on (useful with port 0), or 0 when detached. */
	public int boundPort() {
		return engine.attached() ? engine.boundPort() : 0;
	}

	/** Runs one gossip round now for every circle and returns the syncs it started. */
	public List<CompletableFuture<SyncReport>> gossipRound() {
		return engine.round(null);
	}

	/**
	 * Syncs one circle with the peer at {@code hostPort} now, regardless of back-off.
	 *
	 * @return completes when the sync is over (or, with an extended peer, caught up and live)
	 * @throws IllegalArgumentException if the circle is unknown or the address is not {@code host:port}
	 */
	public CompletableFuture<SyncReport> syncWith(String circleId, String hostPort) {
		if (!engine.attached()) {
			throw new IllegalStateException("Gossip transport is not attached");
		}
		Optional<CircleAccess> circle = engine.context().circle(circleId);
		if (circle.isEmpty()) {
			throw new IllegalArgumentException("Unknown circle " + circleId);
		}
		PeerAddress addr = PeerAddress.parse(hostPort)
				.orElseThrow(() -> new IllegalArgumentException("Not a host:port address: " + hostPort));
		return engine.dial(circle.get(), addr);
	}

	/**
	 * The ciphertext this node keeps for others while it anchors: the node's anchor store (the anchor plugin's) when it
	 * has one, else this transport's memory store.
	 */
	public AnchorStore anchorStore() {
		return engine.anchorStore();
	}

	/**
	 * Whether a reference (non-extended) peer has synced this circle with us since attach. A node may lift the
	 * reference's 1,000-message retention for circles where this is false: only Felund nodes share them, and they
	 * reconcile without the reference's frame limits.
	 */
	public boolean referencePeersSeen(String circleId) {
		return engine.referencePeersSeen(circleId);
	}

	/** Connections that stay open for live push with our own nodes. */
	public int liveSessions() {
		return engine.liveSessionCount();
	}

	/** The engine, for tests and benchmarks inside this bundle's fragment of the build. */
	public GossipEngine engine() {
		return engine;
	}
}
