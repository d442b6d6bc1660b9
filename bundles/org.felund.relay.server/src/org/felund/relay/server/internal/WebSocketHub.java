package org.felund.relay.server.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.felund.relay.server.internal.store.RelayStore;
import org.felund.relay.server.internal.store.RelayStore.StoredMessage;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.channel.EventLoop;

/**
 * In-memory rooms of WebSocket subscribers per {@code circle_hint} (protocol §7.7). Newly stored messages are
 * pushed to every subscriber of the circle except sockets whose {@code node_id} is the poster's
 * {@code X-Felund-Node}. A relay restart drops all sockets; clients reconnect and get the catch-up frame.
 */
final class WebSocketHub implements RelayStore.MessageListener {
	private final ConcurrentHashMap<String, Set<WebSocketSession>> rooms = new ConcurrentHashMap<>();
	private final AtomicInteger connections = new AtomicInteger();
	private volatile boolean closing;
	private final int maxConnections;
	private final Clock clock;

	WebSocketHub(int maxConnections, Clock clock) {
		this.maxConnections = maxConnections;
		this.clock = clock;
	}

	/** Takes one of the connection slots; {@code false} when the limit is reached. */
	boolean reserve() {
		while (true) {
			int n = connections.get();
			if (n >= maxConnections) {
				return false;
			}
			if (connections.compareAndSet(n, n + 1)) {
				return true;
			}
		}
	}

	void release() {
		connections.decrementAndGet();
	}

	int connectionCount() {
		return connections.get();
	}

	void join(WebSocketSession session) {
		rooms.computeIfAbsent(session.circleHint(), k -> ConcurrentHashMap.newKeySet()).add(session);
	}

	void leave(WebSocketSession session) {
		rooms.computeIfPresent(session.circleHint(), (k, set) -> {
			set.remove(session);
			return set.isEmpty() ? null : set;
		});
	}

	@Override
	public void stored(String circleHint, String senderNodeId, List<StoredMessage> messages) {
		Set<WebSocketSession> room = rooms.get(circleHint);
		if (room == null || room.isEmpty()) {
			return;
		}
		byte[] frame = messagesFrame(messages, Math.floorDiv(clock.millis(), 1000L));
		// One task per I/O thread that writes to all of its sockets, instead of one cross-thread task per socket.
		Map<EventLoop, List<WebSocketSession>> byLoop = new IdentityHashMap<>();
		for (WebSocketSession s : room) {
			if (senderNodeId != null && senderNodeId.equals(s.nodeId())) {
				continue;
			}
			EventLoop loop = s.eventLoop();
			if (loop != null) {
				byLoop.computeIfAbsent(loop, k -> new ArrayList<>()).add(s);
			}
		}
		byLoop.forEach((loop, sessions) -> loop.execute(() -> {
			for (WebSocketSession s : sessions) {
				s.push(messages, frame);
			}
		}));
	}

	/** {@code {"t":"MESSAGES","messages":[…],"server_time":now}} as UTF-8. */
	static byte[] messagesFrame(List<StoredMessage> messages, long now) {
		ObjectNode head = RelayJson.object();
		head.put("t", "MESSAGES");
		ObjectNode tail = RelayJson.object();
		tail.put("server_time", now);
		return RelayJson.withRawArray(head, "messages", RelayApi.payloads(messages), tail)
				.getBytes(StandardCharsets.UTF_8);
	}

	/** Whether {@link #closeAll()} has begun: sockets that finish their handshake now close at once. */
	boolean closing() {
		return closing;
	}

	/** Waits until every socket has closed (their close frames went out), at most {@code millis}. */
	boolean awaitAllClosed(long millis) throws InterruptedException {
		long deadline = System.nanoTime() + millis * 1_000_000L;
		while (connections.get() > 0) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(5);
		}
		return true;
	}

	/** Closes every socket (server shutdown). */
	void closeAll() {
		closing = true;
		for (Set<WebSocketSession> room : rooms.values()) {
			for (WebSocketSession s : room) {
				s.closeForShutdown();
			}
		}
	}
}
