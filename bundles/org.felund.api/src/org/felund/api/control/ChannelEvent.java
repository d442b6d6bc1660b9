package org.felund.api.control;

import java.util.Locale;
import java.util.Optional;

import org.felund.api.model.AccessMode;

/**
 * {@code CHANNEL_EVT} (protocol §5.2). The factory methods build what the reference's interactive CLI emits; the
 * record keeps whatever fields a received event had.
 */
public record ChannelEvent(Op op, String circleId, String channelId, String accessMode, String keyHash,
		String actorNodeId, String createdBy, Long createdTs, String nodeId, String targetNodeId, String displayName)
		implements ControlEvent {
	public static final String TYPE = "CHANNEL_EVT";

	public enum Op {
		CREATE, JOIN, REQUEST, APPROVE, LEAVE, RENAME;

		public String wire() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Optional<Op> fromWire(String value) {
			for (Op op : values()) {
				if (op.wire().equals(value)) {
					return Optional.of(op);
				}
			}
			return Optional.empty();
		}
	}

	public static ChannelEvent create(String circleId, String channelId, AccessMode mode, String keyHash,
			String actorNodeId, long createdTs) {
		return new ChannelEvent(Op.CREATE, circleId, channelId, mode.wire(), keyHash == null ? "" : keyHash,
				actorNodeId, actorNodeId, createdTs, null, null, null);
	}

	/** {@code join}, {@code request} or {@code leave} of {@code nodeId}. */
	public static ChannelEvent membership(Op op, String circleId, String channelId, String nodeId, String actorNodeId,
			long createdTs) {
		if (op != Op.JOIN && op != Op.REQUEST && op != Op.LEAVE) {
			throw new IllegalArgumentException("Not a membership op: " + op);
		}
		return new ChannelEvent(op, circleId, channelId, null, null, actorNodeId, null, createdTs, nodeId, null, null);
	}

	public static ChannelEvent approve(String circleId, String channelId, String targetNodeId, String actorNodeId,
			long createdTs) {
		return new ChannelEvent(Op.APPROVE, circleId, channelId, null, null, actorNodeId, null, createdTs, null,
				targetNodeId, null);
	}

	/** A display-name change; the reference sends one per circle. */
	public static ChannelEvent rename(String circleId, String nodeId, String displayName, String actorNodeId,
			long createdTs) {
		return new ChannelEvent(Op.RENAME, circleId, null, null, null, actorNodeId, null, createdTs, nodeId, null,
				displayName);
	}

	@Override
	public String type() {
		return TYPE;
	}

	/** The channel owner by the reference rule: the actor, else {@code created_by}. */
	public String owner() {
		if (!(actorNodeId == null || actorNodeId.isBlank())) {
			return actorNodeId;
		}
		return createdBy == null ? "" : createdBy;
	}
}
