package org.felund.api.control;

import java.util.Optional;

/** {@code CALL_EVT} (protocol §5.5): announcements of a WebRTC call session. */
public record CallEvent(Op op, String sessionId, String actorNodeId, String hostNodeId, String circleId,
		String channelId, Long createdTs, String nodeId, String targetNodeId, String reason) implements ControlEvent {
	public static final String TYPE = "CALL_EVT";

	public enum Op {
		CREATE("create"), JOIN("join"), VIEW("view"), LEAVE("leave"), END("end"), REVOKE("revoke"),
		INVITE("invite"), SIGNAL_OFFER("signal.offer"), SIGNAL_ANSWER("signal.answer"),
		SIGNAL_CANDIDATE("signal.candidate");

		private final String wire;

		Op(String wire) {
			this.wire = wire;
		}

		public String wire() {
			return wire;
		}

		public static Optional<Op> fromWire(String value) {
			for (Op op : values()) {
				if (op.wire.equals(value)) {
					return Optional.of(op);
				}
			}
			return Optional.empty();
		}
	}

	public static CallEvent create(String sessionId, String hostNodeId, String circleId, String channelId,
			long createdTs) {
		return new CallEvent(Op.CREATE, sessionId, hostNodeId, hostNodeId, circleId, channelId, createdTs, null, null,
				null);
	}

	/** {@code join}, {@code view} or {@code leave} of {@code nodeId} (leave carries reason {@code user_left}). */
	public static CallEvent participation(Op op, String sessionId, String nodeId, String actorNodeId) {
		if (op != Op.JOIN && op != Op.VIEW && op != Op.LEAVE) {
			throw new IllegalArgumentException("Not a participation op: " + op);
		}
		return new CallEvent(op, sessionId, actorNodeId, null, null, null, null, nodeId, null,
				op == Op.LEAVE ? "user_left" : null);
	}

	public static CallEvent end(String sessionId, String hostNodeId) {
		return new CallEvent(Op.END, sessionId, hostNodeId, hostNodeId, null, null, null, null, null, null);
	}

	public static CallEvent revoke(String sessionId, String targetNodeId, String hostNodeId) {
		return new CallEvent(Op.REVOKE, sessionId, hostNodeId, null, null, null, null, null, targetNodeId, null);
	}

	@Override
	public String type() {
		return TYPE;
	}
}
