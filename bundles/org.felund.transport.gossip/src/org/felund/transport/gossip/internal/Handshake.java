package org.felund.transport.gossip.internal;

import java.net.InetSocketAddress;
import java.util.Optional;

import org.felund.api.crypto.CryptoException;
import org.felund.api.model.Peer;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.TransportContext;
import org.felund.transport.gossip.internal.GossipSession.Role;
import org.felund.transport.gossip.internal.GossipSession.State;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The first phase of a gossip session (protocol §4.2–§4.4): HELLO, CHALLENGE, HELLO_AUTH, WELCOME. It authenticates
 * the peer by the circle's gossip token, records it, agrees on session encryption (refusing plaintext unless allowed)
 * and on the Felund extensions, then hands the session to the sync phase.
 */
final class Handshake {
	private static final int MAX_NONCE_HEX = 128;
	private static final int MAX_NODE_ID = 128;

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
		session.peerNodeId(peerNodeId);
		String circleId = Frames.text(hello, "circle_id");
		peerListenAddr = Frames.flag(hello, "listen_addr") ? Frames.text(hello, "listen_addr") : "";
		clientNonce = Frames.text(hello, "nonce");
		peerOffersExt = Frames.integer(hello, Frames.EXT_KEY, 0) >= Frames.EXT_VERSION;
		if (peerNodeId.length() > MAX_NODE_ID || circleId.length() > MAX_NODE_ID) {
			// Real ids are 24 or 32 hex; anything this long is an attempt to bloat our tables.
			throw new FrameException(Frames.ERR_INTERNAL, "HELLO ids too long");
		}
		Optional<CircleAccess> known = engine.context().circle(circleId);
		if (known.isEmpty()) {
			throw new FrameException(Frames.ERR_UNKNOWN_CIRCLE, "Unknown circle " + circleId);
		}
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
		session.expect(State.AWAIT_HELLO_AUTH, engine.options().readTimeout());
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
		boolean self = peerNodeId.equals(node.nodeId());
		if (!peerNodeId.isEmpty() && !self) {
			recordClientPeer(node);
		}
		boolean encrypt = !clientNonce.isEmpty();
		boolean extended = encrypt && peerOffersExt && engine.options().extensions() && !self && !peerNodeId.isEmpty();
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
		session.peerNodeId(peerNodeId);
		if (peerNodeId.equals(node.nodeId())) {
			engine.markSelfAddress(session.dialedAddr());
			throw new FrameException(null, "Dialled ourselves at " + session.dialedAddr());
		}
		boolean encrypt = Frames.flag(welcome, "enc_ready");
		if (!encrypt && !engine.options().allowLegacyPlaintext()) {
			throw new FrameException(null, "Peer " + peerNodeId + " offers no session encryption (legacy plaintext not allowed)");
		}
		boolean peerCanAnchor = Frames.flag(welcome, "can_anchor");
		boolean extended = encrypt && engine.options().extensions() && !peerNodeId.isEmpty()
				&& Frames.integer(welcome, Frames.EXT_KEY, 0) >= Frames.EXT_VERSION;
		session.extended(extended);
		session.peerCanAnchor(peerCanAnchor);
		if (!peerNodeId.isEmpty()) {
			node.peerSeen(session.circleId(), new Peer(peerNodeId, session.dialedAddr(), engine.now()),
					GossipEngine.TRANSPORT_ID);
			node.reachability(session.circleId(), peerNodeId, GossipEngine.TRANSPORT_ID, true);
		}
		if (encrypt) {
			startEncryption(extended);
		}
		session.handshakeDone();
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
