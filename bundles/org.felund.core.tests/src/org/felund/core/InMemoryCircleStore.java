package org.felund.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.felund.api.model.AnchorRecord;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.model.Peer;
import org.felund.api.store.CircleStore;

/** A map-backed {@link CircleStore} for tests of the apply rules (the real one is the SQLite store). */
public final class InMemoryCircleStore implements CircleStore {
	private final Map<String, Circle> circles = new LinkedHashMap<>();
	private final Map<String, Map<String, Channel>> channels = new LinkedHashMap<>();
	private final Map<String, Set<String>> members = new LinkedHashMap<>();
	private final Map<String, Map<String, Peer>> peers = new LinkedHashMap<>();
	private final Map<String, Map<String, String>> names = new LinkedHashMap<>();
	private final Map<String, Map<String, AnchorRecord>> anchors = new LinkedHashMap<>();
	private final Map<String, String> settings = new LinkedHashMap<>();

	@Override
	public synchronized void putCircle(Circle circle) {
		circles.put(circle.circleId(), circle);
	}

	@Override
	public synchronized Optional<Circle> circle(String circleId) {
		return Optional.ofNullable(circles.get(circleId));
	}

	@Override
	public synchronized List<Circle> circles() {
		return List.copyOf(circles.values());
	}

	@Override
	public synchronized void removeCircle(String circleId) {
		circles.remove(circleId);
		channels.remove(circleId);
		members.remove(circleId);
		peers.remove(circleId);
		names.remove(circleId);
		anchors.remove(circleId);
	}

	@Override
	public synchronized void putChannel(Channel channel) {
		channels.computeIfAbsent(channel.circleId(), k -> new LinkedHashMap<>()).put(channel.channelId(), channel);
	}

	@Override
	public synchronized Optional<Channel> channel(String circleId, String channelId) {
		return Optional.ofNullable(channels.getOrDefault(circleId, Map.of()).get(channelId));
	}

	@Override
	public synchronized List<Channel> channels(String circleId) {
		return List.copyOf(channels.getOrDefault(circleId, Map.of()).values());
	}

	@Override
	public synchronized void addMember(String circleId, String nodeId) {
		members.computeIfAbsent(circleId, k -> new LinkedHashSet<>()).add(nodeId);
	}

	@Override
	public synchronized List<String> members(String circleId) {
		return List.copyOf(members.getOrDefault(circleId, Set.of()));
	}

	@Override
	public synchronized void mergePeer(String circleId, Peer peer) {
		Map<String, Peer> m = peers.computeIfAbsent(circleId, k -> new LinkedHashMap<>());
		Peer old = m.get(peer.nodeId());
		if (old == null || peer.lastSeen() > old.lastSeen()) {
			m.put(peer.nodeId(), peer);
		}
	}

	@Override
	public synchronized List<Peer> peers(String circleId) {
		List<Peer> out = new ArrayList<>(peers.getOrDefault(circleId, Map.of()).values());
		out.sort(Comparator.comparingLong(Peer::lastSeen).reversed());
		return out;
	}

	@Override
	public synchronized void setDisplayName(String circleId, String nodeId, String displayName) {
		names.computeIfAbsent(circleId, k -> new LinkedHashMap<>()).put(nodeId, displayName);
	}

	@Override
	public synchronized Optional<String> displayName(String circleId, String nodeId) {
		return Optional.ofNullable(names.getOrDefault(circleId, Map.of()).get(nodeId));
	}

	@Override
	public synchronized void putAnchor(AnchorRecord record) {
		anchors.computeIfAbsent(record.circleId(), k -> new LinkedHashMap<>()).put(record.nodeId(), record);
	}

	@Override
	public synchronized List<AnchorRecord> anchors(String circleId) {
		return List.copyOf(anchors.getOrDefault(circleId, Map.of()).values());
	}

	@Override
	public synchronized Optional<String> setting(String key) {
		return Optional.ofNullable(settings.get(key));
	}

	@Override
	public synchronized void putSetting(String key, String value) {
		settings.put(key, value);
	}
}
