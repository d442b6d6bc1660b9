package org.felund.api.node;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.model.Circle;
import org.felund.api.model.Member;
import org.felund.api.model.Peer;
import org.felund.api.store.SyncKey;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.TransportState;

/**
 * The node as the UI and the CLI see it. Every method validates its input and throws
 * {@link IllegalArgumentException} or {@link org.felund.api.model.ProtocolException} with a message fit to
 * show a user; nothing is stored when a call fails.
 */
public interface NodeService {
	NodeIdentity identity();

	void setDisplayName(String displayName);

	List<Circle> circles();

	Optional<Circle> circle(String circleId);

	/** Creates a circle with a fresh secret; {@code name} may be empty. */
	CreatedCircle createCircle(String name);

	/** Joins by a {@code felund1.} code. Joining a circle twice returns the existing one. */
	Circle joinCircle(String inviteCode);

	/** Legacy join with a bare secret and an optional {@code host:port} bootstrap peer. */
	Circle joinCircle(String secretHex, String peer);

	void leaveCircle(String circleId);

	/**
	 * Sets the peer ({@code host:port}) that transports dial for a circle until they know it by its node id,
	 * and asks them to sync now: {@code felund-node run --peer}. Optional operation of a node.
	 */
	default void setBootstrapPeer(String circleId, String hostPort) {
		throw new UnsupportedOperationException("This node does not take bootstrap peers");
	}

	void renameCircle(String circleId, String name);

	/** An invite code for a circle; {@code peerHint} overrides the advertised address or relay URL. */
	String inviteCode(String circleId, String peerHint);

	List<Channel> channels(String circleId);

	Channel createChannel(String circleId, String channelId, AccessMode mode, String channelKey);

	Channel joinChannel(String circleId, String channelId, String channelKey);

	void leaveChannel(String circleId, String channelId);

	void requestChannel(String circleId, String channelId);

	void approveChannel(String circleId, String channelId, String nodeId);

	/** Creates, stores and hands to every transport a schema-2 chat message. */
	ChatMessage send(String circleId, String channelId, String text);

	/** One page of decrypted history, newest first, before {@code before} (null = newest). */
	List<ChatMessage> history(String circleId, String channelId, SyncKey before, int limit);

	/**
	 * A readable line for a decrypted {@code __control} message (from {@code history(circle, "__control", …)}),
	 * or empty when the message is not a control event people need to see (signalling, anchor announcements,
	 * malformed events). Names are the ones the node knows now.
	 */
	default Optional<SystemNote> describe(ChatMessage controlMessage) {
		return Optional.empty();
	}

	List<Member> members(String circleId);

	List<Peer> peers(String circleId);

	/** The state of every attached transport, by id. */
	Map<String, TransportState> transports();

	/** The endpoints the attached transports advertise now (invite codes use the first direct one, else a relay). */
	default List<Endpoint> endpoints() {
		return List.of();
	}

	/**
	 * The delivery state of a message this node wrote (sent, or delivered with its path); empty for other messages.
	 * Survives restarts.
	 */
	default Optional<Delivery> delivery(String circleId, String msgId) {
		return Optional.empty();
	}

	/**
	 * The delivery states of the given messages that this node wrote, by message id (for a page of {@link #history}:
	 * pass its ids); messages of others are absent.
	 */
	default Map<String, Delivery> deliveries(String circleId, java.util.Collection<String> msgIds) {
		return Map.of();
	}

	/** The anchors of a circle in the routing chain's order (the chosen one first); empty without any. */
	default List<String> anchors(String circleId) {
		return List.of();
	}

	/**
	 * Whether others have been seen reaching this node from a public address (an inbound connection, or a relay that
	 * observes our advertised address): {@code public_reachable} of our {@code ANCHOR_ANNOUNCE}.
	 */
	default boolean publiclyReachable() {
		return false;
	}

	/**
	 * What this computer keeps of a circle's history ({@code channelId} null) or of one channel's, when a choice was
	 * made; empty when none was: a channel then keeps what its circle keeps, and a circle keeps everything (or what
	 * the node's operator set for all circles).
	 */
	default Optional<Retention> retention(String circleId, String channelId) {
		return Optional.empty();
	}

	/**
	 * Sets what this computer keeps of a circle's history ({@code channelId} null: every channel of the circle that
	 * has no choice of its own) or of one channel's; {@code null} takes the choice back. Messages beyond the limits
	 * are deleted from this computer soon after (other members keep theirs). Local only: nothing is sent.
	 */
	default void setRetention(String circleId, String channelId, Retention retention) {
		throw new UnsupportedOperationException("This node keeps all history");
	}

	/**
	 * Why nobody in the circle has been reached yet, newest first, as the transports reported their attempts since
	 * the circle was joined (or since the last contact); empty once a member answered, or when nothing was tried.
	 */
	default List<ContactFailure> contactFailures(String circleId) {
		return List.of();
	}

	/**
	 * Whether the person at this computer answered the first-run setup. A node started with the framework property
	 * {@code felund.transports=setup} (the desktop) attaches no transport, and so listens on no port and dials
	 * nobody, until then.
	 */
	default boolean setupComplete() {
		return true;
	}

	/** The first-run setup was answered (kept in the home): transports held back until now are attached. */
	default void completeSetup() {
	}

	/**
	 * A signer of relay requests for one circle (protocol §3.8), for a plugin that posts to or reads from a relay
	 * itself rather than through a transport: the same signing the node's transports use, without handing out the
	 * circle's key. Empty for a circle this node is not in (or whose secret is missing); a signer obtained earlier
	 * fails once the node has left the circle.
	 *
	 * @since 0.4
	 */
	default Optional<RelaySigner> relaySigner(String circleId) {
		return Optional.empty();
	}

	void addListener(NodeListener listener);

	void removeListener(NodeListener listener);
}
