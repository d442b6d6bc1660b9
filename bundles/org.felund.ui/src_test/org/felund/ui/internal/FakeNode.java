package org.felund.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Member;
import org.felund.api.model.Peer;
import org.felund.api.node.CreatedCircle;
import org.felund.api.node.NodeIdentity;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.store.SyncKey;
import org.felund.api.transport.TransportState;

/** An in-memory node that records what the commands asked of it, with the real node's main refusals. */
final class FakeNode implements NodeService {
	static final String SELF = "aaaaaaaaaaaaaaaaaaaaaaaa";

	NodeIdentity identity = new NodeIdentity(SELF, "alice");
	final Map<String, Circle> circles = new LinkedHashMap<>();
	final Map<String, Map<String, Channel>> channels = new LinkedHashMap<>();
	final List<Member> members = new ArrayList<>();
	final List<String> calls = new ArrayList<>();

	Circle addCircle(String id, String name) {
		Circle c = new Circle(id, "hint", name, 1, "");
		circles.put(id, c);
		channels.computeIfAbsent(id, k -> new LinkedHashMap<>()).put("general",
				new Channel(id, "general", AccessMode.PUBLIC, "", 1, "", Set.of(), Set.of()));
		return c;
	}

	@Override
	public NodeIdentity identity() {
		return identity;
	}

	@Override
	public void setDisplayName(String displayName) {
		if (displayName.isBlank()) {
			throw new IllegalArgumentException("The display name is empty");
		}
		calls.add("setDisplayName " + displayName);
		identity = new NodeIdentity(SELF, displayName);
	}

	@Override
	public List<Circle> circles() {
		return List.copyOf(circles.values());
	}

	@Override
	public Optional<Circle> circle(String circleId) {
		return Optional.ofNullable(circles.get(circleId));
	}

	@Override
	public CreatedCircle createCircle(String name) {
		calls.add("createCircle " + name);
		Circle c = addCircle("c" + circles.size(), name);
		return new CreatedCircle(c, "felund1.code");
	}

	@Override
	public Circle joinCircle(String inviteCode) {
		calls.add("joinCircle " + inviteCode);
		return addCircle("joined", "");
	}

	@Override
	public Circle joinCircle(String secretHex, String peer) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void leaveCircle(String circleId) {
		calls.add("leaveCircle " + circleId);
		circles.remove(circleId);
	}

	@Override
	public void renameCircle(String circleId, String name) {
		calls.add("renameCircle " + circleId + " " + name);
	}

	@Override
	public String inviteCode(String circleId, String peerHint) {
		return "felund1.code";
	}

	@Override
	public List<Channel> channels(String circleId) {
		return List.copyOf(channels.getOrDefault(circleId, Map.of()).values());
	}

	@Override
	public Channel createChannel(String circleId, String channelId, AccessMode mode, String channelKey) {
		if (!channelId.matches("[a-z0-9_-]{1,32}")) {
			throw new IllegalArgumentException("Bad channel name " + channelId);
		}
		calls.add("createChannel " + channelId + " " + mode + " " + channelKey);
		Channel c = new Channel(circleId, channelId, mode, SELF, 1, "", Set.of(SELF), Set.of());
		channels.get(circleId).put(channelId, c);
		return c;
	}

	@Override
	public Channel joinChannel(String circleId, String channelId, String channelKey) {
		calls.add("joinChannel " + channelId + " " + channelKey);
		return channels.get(circleId).get(channelId);
	}

	@Override
	public void leaveChannel(String circleId, String channelId) {
		calls.add("leaveChannel " + channelId);
	}

	@Override
	public void requestChannel(String circleId, String channelId) {
		calls.add("requestChannel " + channelId);
	}

	@Override
	public void approveChannel(String circleId, String channelId, String nodeId) {
		calls.add("approveChannel " + channelId + " " + nodeId);
	}

	@Override
	public ChatMessage send(String circleId, String channelId, String text) {
		calls.add("send " + text);
		return new ChatMessage("m", circleId, channelId, SELF, 1, "alice", text, "", 2, null);
	}

	@Override
	public List<ChatMessage> history(String circleId, String channelId, SyncKey before, int limit) {
		return List.of();
	}

	@Override
	public List<Member> members(String circleId) {
		return List.copyOf(members);
	}

	@Override
	public List<Peer> peers(String circleId) {
		return List.of();
	}

	@Override
	public Map<String, TransportState> transports() {
		return Map.of();
	}

	@Override
	public void addListener(NodeListener listener) {
	}

	@Override
	public void removeListener(NodeListener listener) {
	}
}
