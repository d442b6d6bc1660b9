package org.felund.transport.gossip.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.crypto.SessionCipher;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Envelope;
import org.felund.api.model.MessageHeader;
import org.felund.api.model.Peer;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.transport.CircleAccess;
import org.felund.api.transport.ReceiveResult;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;

/** A node's context whose session ciphers seal with chosen frame nonces, to replay transcripts byte for byte. */
final class PinnedContext implements TransportContext {
	private final TransportContext node;
	private final Function<SessionCipher, SessionCipher> pin;

	PinnedContext(TransportContext node, Function<SessionCipher, SessionCipher> pin) {
		this.node = node;
		this.pin = pin;
	}

	CircleAccess pinned(CircleAccess access) {
		CircleCrypto real = access.crypto();
		CircleCrypto crypto = new CircleCrypto() {
			public String circleId() { return real.circleId(); }
			public String circleHint() { return real.circleHint(); }
			public Envelope seal(MessageHeader h, String d, String t) { return real.seal(h, d, t); }
			public Envelope seal(MessageHeader h, String d, String t, byte[] n) { return real.seal(h, d, t, n); }
			public DecryptedBody open(MessageHeader h, Envelope e) throws CryptoException { return real.open(h, e); }
			public String legacyMac(ChatMessage m) { return real.legacyMac(m); }
			public boolean verifyLegacyMac(ChatMessage m) { return real.verifyLegacyMac(m); }
			public String gossipToken(String n, String c, String s) { return real.gossipToken(n, c, s); }
			public boolean verifyGossipToken(String n, String c, String s, String t) { return real.verifyGossipToken(n, c, s, t); }
			public SessionCipher session(String c, String s) throws CryptoException { return pin.apply(real.session(c, s)); }
			public String apiSigningKeyHex() { return real.apiSigningKeyHex(); }
			public String signApiRequest(String m, String p, byte[] b, long ts, String n) { return real.signApiRequest(m, p, b, ts, n); }
			public String dataChannelAuth(String m, String p) { return real.dataChannelAuth(m, p); }
			public boolean verifyDataChannelAuth(String m, String p, String a) { return real.verifyDataChannelAuth(m, p, a); }
			public String channelKeyHash(String ch, String k) { return real.channelKeyHash(ch, k); }
		};
		return new CircleAccess() {
			public Circle circle() { return access.circle(); }
			public CircleCrypto crypto() { return crypto; }
		};
	}

	public String nodeId() { return node.nodeId(); }
	public String displayName() { return node.displayName(); }
	public boolean canAnchor() { return node.canAnchor(); }
	public List<CircleAccess> circles() { return node.circles().stream().map(this::pinned).toList(); }
	public Optional<CircleAccess> circle(String id) { return node.circle(id).map(this::pinned); }
	public Optional<CircleAccess> circleByHint(String hint) { return node.circleByHint(hint).map(this::pinned); }
	public MessageStore messages() { return node.messages(); }
	public CircleStore state() { return node.state(); }
	public ReceiveResult receive(String c, ChatMessage m, String t, String f) { return node.receive(c, m, t, f); }
	public Optional<ChatMessage> wireCopy(String c, String id) { return node.wireCopy(c, id); }
	public void peerSeen(String c, Peer p, String t) { node.peerSeen(c, p, t); }
	public void reachability(String c, String n, String t, boolean r) { node.reachability(c, n, t, r); }
	public void stateChanged(Transport t) { node.stateChanged(t); }
	public void addListener(NodeEvents l) { node.addListener(l); }
	public void removeListener(NodeEvents l) { node.removeListener(l); }
}
