package org.felund.transport.gossip.internal;

import java.net.InetSocketAddress;
import java.util.Optional;

import org.felund.api.crypto.CryptoException;
import org.felund.api.model.Peer;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.TransportContext;
import org.felund.protocol.wire.Identifiers;
import org.felund.transport.gossip.internal.GossipSession.Role;
import org.felund.transport.gossip.internal.GossipSession.State;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The first phase of a gossip session (protocol §4.2–§4.4): HELLO, CHALLENGE, HELLO_AUTH, WELCOME. It authenticates
 * the peer by the circle's gossip token, records it, agrees on session encryption (refusing plaintext unless allowed)
 * and on the Felund extensions, then hands the session to the sync phase.
 * <p>
 * Only the client proves the secret during the handshake (its token); the server proves it with its first encrypted
 * frame, which only a holder of the circle secret can produce. So a client applies nothing from WELCOME (the peer's
 * id as member and peer, its reachability, "this address is our own") until that frame has been decrypted
 * ({@link #onFirstSessionFrame}). The extension offer travels in the clear; both sides repeat it inside that first
 * encrypted frame ({@code felund_ext} in PEERS), and a Felund node that sees its peer claim the extensions in a
 * session that was negotiated without them ends it, so a man in the middle cannot strip them
 * (docs/protocol-extensions.md §1).
 */
final class Handshake {
	private static final int MAX_NONCE_HEX = 128;

	private final GossipSession session;
	private final GossipEngine engine;
	private String clientNonce = "";
	private String serverNonce = "";
	private String peerListenAddr = "";
	private boolean peerOffersExt;

	Handshake(GossipSession session) {
		this.session = session;
		this.engine = session.engine();
	}

	// ---------------------------------------------------------------- server side

	void onHello(ObjectNode hello, String type) throws FrameException {
		if (!Frames.HELLO.equals(type)) {
			throw new FrameException(Frames.ERR_EXPECTED_HELLO, "First frame was " + type);
		}
		String peerNodeId = Frames.text(hello, "node_id");
		String circleId = Frames.text(hello, "circle_id");
		peerListenAddr = Frames.flag(hello, "listen_addr") ? Frames.text(hello, "listen_addr") : "";
		clientNonce = Frames.text(hello, "nonce");
		peerOffersExt = Frames.integer(hello, Frames.EXT_KEY, 0) >= Frames.EXT_VERSION;
		Optional<CircleAccess> known = Identifiers.isNodeId(circleId) ? engine.context().circle(circleId)
				: Optional.empty();
		if (known.isEmpty()) {
			throw new FrameException(Frames.ERR_UNKNOWN_CIRCLE, "Unknown circle " + Identifiers.describe(circleId));
		}
		if (!Identifiers.isNodeId(peerNodeId)) {
			// Real ids are 24 or 32 hex; anything else is an attempt to bloat our tables or spoof a display.
			throw new FrameException(Frames.ERR_INTERNAL, "HELLO node_id is invalid: " + Identifiers.describe(peerNodeId));
		}
		session.peerNodeId(peerNodeId);
		session.circle(known.get());
		if (clientNonce.isEmpty()) {
			if (!engine.options().allowLegacyPlaintext()) {
				throw new FrameException(Frames.ERR_ENCRYPTION_REQUIRED, "Client offered no session encryption");
			}
		} else if (!isEvenHex(clientNonce)) {
			throw new FrameException(Frames.ERR_INTERNAL, "HELLO nonce is not hex");
		}
		serverNonce = engine.newNonce();
		ObjectNode challenge = Frames.frame(Frames.CHALLENGE);
		challenge.put("nonce", serverNonce);
		session.write(challenge);
		session.expect(State.AWAIT_HELLO_AUTH, engine.handshakeTimeout());
	}

	void onHelloAuth(ObjectNode auth, String type) throws FrameException {
		if (!Frames.HELLO_AUTH.equals(type)) {
			throw new FrameException(Frames.ERR_EXPECTED_HELLO_AUTH, "Second frame was " + type);
		}
		TransportContext node = engine.context();
		CircleAccess circle = session.circle();
		String peerNodeId = session.peerNodeId();
		if (node.circle(circle.circleId()).isEmpty()) {
			throw new FrameException(Frames.ERR_UNKNOWN_CIRCLE, "Circle left during handshake");
		}
		String token = Frames.text(auth, "token");
		if (!circle.crypto().verifyGossipToken(peerNodeId, circle.circleId(), serverNonce, token)) {
			throw new FrameException(Frames.ERR_AUTH_FAILED, "Bad token from " + peerNodeId);
		}
		if (!engine.authenticated(session.channel().channel())) {
			throw new FrameException(Frames.ERR_INTERNAL, "Too many authenticated sessions");
		}
		boolean self = peerNodeId.equals(node.nodeId());
		if (!self) {
			recordClientPeer(node);
		}
		boolean encrypt = !clientNonce.isEmpty();
		boolean extended = encrypt && peerOffersExt && engine.options().extensions() && !self;
		session.extended(extended);
		ObjectNode welcome = Frames.frame(Frames.WELCOME);
		welcome.put("node_id", node.nodeId());
		welcome.put("enc_ready", encrypt);
		welcome.put("can_anchor", node.canAnchor());
		if (extended) {
			welcome.put(Frames.EXT_KEY, Frames.EXT_VERSION);
		}
		session.write(welcome);
		if (encrypt) {
			startEncryption(extended);
		}
		session.handshakeDone();
	}

	/**
	 * Records a client as a peer at the address it listens on, with the host it connected from (what it advertises
	 * may be a wildcard or another network's address); without a {@code listen_addr}, refreshes what we knew of it.
	 */
	private void recordClientPeer(TransportContext node) {
		long now = engine.now();
		String circleId = session.circleId();
		String peerNodeId = session.peerNodeId();
		if (!peerListenAddr.isEmpty()) {
			Optional<PeerAddress> advertised = PeerAddress.parse(peerListenAddr);
			if (advertised.isEmpty()) {
				return;
			}
			String addr = advertised.get().wire();
			if (session.channel().channel().remoteAddress() instanceof InetSocketAddress remote
					&& remote.getAddress() != null) {
				String ip = remote.getAddress().getHostAddress();
				int zone = ip.indexOf('%');
				addr = (zone > 0 ? ip.substring(0, zone) : ip) + ":" + advertised.get().port();
			}
			Optional<PeerAddress> observed = PeerAddress.parse(addr);
			if (observed.isPresent() && !engine.isSelfAddress(observed.get())) {
				node.peerSeen(circleId, new Peer(peerNodeId, observed.get().wire(), now), GossipEngine.TRANSPORT_ID);
			}
		} else {
			node.state().peers(circleId).stream().filter(p -> p.nodeId().equals(peerNodeId)).findFirst()
					.ifPresent(p -> node.peerSeen(circleId, new Peer(peerNodeId, p.addr(), now),
							GossipEngine.TRANSPORT_ID));
		}
		node.reachability(circleId, peerNodeId, GossipEngine.TRANSPORT_ID, true);
	}

	// ---------------------------------------------------------------- client side

	void sendHello() {
		TransportContext node = engine.context();
		clientNonce = engine.newNonce();
		ObjectNode hello = Frames.frame(Frames.HELLO);
		hello.put("node_id", node.nodeId());
		hello.put("circle_id", session.circleId());
		InetSocketAddress local = session.channel().channel().localAddress() instanceof InetSocketAddress l ? l : null;
		hello.put("listen_addr", engine.listenAddr(local));
		hello.put("nonce", clientNonce);
		hello.put("can_anchor", node.canAnchor());
		if (engine.options().extensions()) {
			hello.put(Frames.EXT_KEY, Frames.EXT_VERSION);
		}
		session.write(hello);
		session.expect(State.AWAIT_CHALLENGE, engine.options().readTimeout());
	}

	void onChallenge(ObjectNode challenge, String type) throws FrameException {
		if (!Frames.CHALLENGE.equals(type)) {
			throw new FrameException(null, "Expected CHALLENGE, got " + type + describeError(challenge));
		}
		serverNonce = Frames.text(challenge, "nonce");
		if (!isEvenHex(serverNonce) || serverNonce.isEmpty()) {
			throw new FrameException(null, "CHALLENGE nonce is not hex");
		}
		CircleAccess circle = session.circle();
		ObjectNode auth = Frames.frame(Frames.HELLO_AUTH);
		auth.put("token", circle.crypto().gossipToken(engine.context().nodeId(), circle.circleId(), serverNonce));
		session.write(auth);
		session.expect(State.AWAIT_WELCOME, engine.options().readTimeout());
	}

	void onWelcome(ObjectNode welcome, String type) throws FrameException {
		if (!Frames.WELCOME.equals(type)) {
			throw new FrameException(null, "Expected WELCOME, got " + type + describeError(welcome));
		}
		TransportContext node = engine.context();
		String peerNodeId = Frames.text(welcome, "node_id");
		if (!Identifiers.isNodeId(peerNodeId)) {
			throw new FrameException(null, "WELCOME node_id is invalid: " + Identifiers.describe(peerNodeId));
		}
		session.peerNodeId(peerNodeId);
		boolean encrypt = Frames.flag(welcome, "enc_ready");
		if (!encrypt && !engine.options().allowLegacyPlaintext()) {
			throw new FrameException(null, "Peer " + peerNodeId + " offers no session encryption (legacy plaintext not allowed)");
		}
		boolean self = peerNodeId.equals(node.nodeId());
		if (self && !encrypt) {
			// Nothing could ever prove this claim: refuse the session, but mark nothing.
			throw new FrameException(null, "Peer at " + session.dialedAddr() + " claims our own node id");
		}
		boolean peerCanAnchor = Frames.flag(welcome, "can_anchor");
		boolean extended = encrypt && engine.options().extensions() && !self
				&& Frames.integer(welcome, Frames.EXT_KEY, 0) >= Frames.EXT_VERSION;
		session.extended(extended);
		session.peerCanAnchor(peerCanAnchor);
		if (encrypt) {
			startEncryption(extended);
		}
		session.handshakeDone();
	}

	// ---------------------------------------------------------------- the first frame of the session

	/**
	 * The peer's first frame after WELCOME, decrypted: in an encrypted session the proof that the peer holds the
	 * circle secret (a server proves it only here). Checks that the extensions were not stripped on the way and, on
	 * the client, applies what WELCOME claimed. In a legacy plaintext session nothing is proven; the claims are
	 * applied as the reference does, except that an address is never marked as our own.
	 */
	void onFirstSessionFrame(ObjectNode frame) throws FrameException {
		boolean encrypted = session.codec().encrypted();
		if (encrypted && !session.extended() && engine.options().extensions()
				&& Frames.integer(frame, Frames.EXT_KEY, 0) >= Frames.EXT_VERSION) {
			// A Felund peer that offers the extensions, in a session negotiated without them: the clear-text
			// offer was removed on the way. Never fall back to the weaker session between our own nodes.
			throw new FrameException(null, "Extension negotiation with " + session.peerNodeId()
					+ " was tampered with (the peer offers felund_ext inside the session); closing");
		}
		if (session.role() != Role.CLIENT) {
			return;
		}
		TransportContext node = engine.context();
		String peerNodeId = session.peerNodeId();
		if (peerNodeId.equals(node.nodeId())) {
			// Proven by a frame sealed with the circle key from our own CHALLENGE nonce: we dialled ourselves.
			engine.markSelfAddress(session.dialedAddr());
			throw new FrameException(null, "Dialled ourselves at " + session.dialedAddr());
		}
		node.peerSeen(session.circleId(), new Peer(peerNodeId, session.dialedAddr(), engine.now()),
				GossipEngine.TRANSPORT_ID);
		node.reachability(session.circleId(), peerNodeId, GossipEngine.TRANSPORT_ID, true);
	}

	// ---------------------------------------------------------------- both

	private void startEncryption(boolean sequenced) throws FrameException {
		try {
			session.codec().encrypt(session.circle().crypto().session(clientNonce, serverNonce), sequenced,
					session.role() == Role.CLIENT);
		} catch (CryptoException e) {
			throw new FrameException(session.role() == Role.SERVER ? Frames.ERR_INTERNAL : null,
					"Cannot derive session key", e);
		}
	}

	private static String describeError(ObjectNode frame) {
		return Frames.ERROR.equals(Frames.type(frame)) ? " (" + Frames.text(frame, "err") + ")" : "";
	}

	private static boolean isEvenHex(String s) {
		if (s.length() % 2 != 0 || s.length() > MAX_NONCE_HEX) {
			return false;
		}
		for (int i = 0; i < s.length(); i++) {
			if (Character.digit(s.charAt(i), 16) < 0) {
				return false;
			}
		}
		return true;
	}
}
