package org.felund.ui.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.felund.api.model.Circle;
import org.felund.api.node.ContactFailure;
import org.felund.api.node.NodeService;

/**
 * While a circle joined by invite has reached nobody: how the join is going, as the chat shows it (whom the
 * transports try, and what they reported of each failed attempt).
 */
public final class JoinProgress {
	private JoinProgress() {
	}

	public static String text(NodeService node, Circle circle, ZoneId zone) {
		StringBuilder text = new StringBuilder("Joining\u2026 waiting for a member of the circle to answer.\n");
		text.append("Trying ").append(circle.bootstrapPeer()).append(" (the address in the invite)");
		if (node.transports().isEmpty()) {
			text.append(", as soon as a transport runs.");
		} else {
			text.append(" by ").append(String.join(", ", node.transports().keySet())).append('.');
		}
		DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
		for (ContactFailure f : node.contactFailures(circle.circleId())) {
			text.append("\n").append(time.format(Instant.ofEpochSecond(f.atSeconds()))).append("  ").append(f.peer())
					.append(" (").append(f.transportId()).append("): ").append(f.reason());
		}
		return text.toString();
	}
}
