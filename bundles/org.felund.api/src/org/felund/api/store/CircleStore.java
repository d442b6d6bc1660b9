package org.felund.api.store;

import java.util.List;
import java.util.Optional;

import org.felund.api.model.AnchorRecord;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.model.Peer;

/**
 * Everything a node knows besides messages: circles, channels and their membership, circle members,
 * dialable peers, live display names and anchor records. Display names are kept encrypted at rest.
 */
public interface CircleStore {
	void putCircle(Circle circle);

	Optional<Circle> circle(String circleId);

	List<Circle> circles();

	void removeCircle(String circleId);

	void putChannel(Channel channel);

	Optional<Channel> channel(String circleId, String channelId);

	List<Channel> channels(String circleId);

	void addMember(String circleId, String nodeId);

	List<String> members(String circleId);

	/** Inserts or replaces a peer record when none exists or {@code lastSeen} is strictly newer. */
	void mergePeer(String circleId, Peer peer);

	/** Peers of a circle's members, newest {@code last_seen} first. */
	List<Peer> peers(String circleId);

	void setDisplayName(String circleId, String nodeId, String displayName);

	Optional<String> displayName(String circleId, String nodeId);

	void putAnchor(AnchorRecord record);

	List<AnchorRecord> anchors(String circleId);

	/** Small per-node settings (node id, name, port, relay URL, …). */
	Optional<String> setting(String key);

	void putSetting(String key, String value);
}
