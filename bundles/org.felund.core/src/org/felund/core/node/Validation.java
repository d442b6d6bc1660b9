package org.felund.core.node;

import org.felund.api.model.ProtocolException;
import org.felund.core.control.ControlApplier;
import org.felund.protocol.invite.InviteCodes;
import org.felund.protocol.wire.Json;

/** Checks of what users give the node; each failure is an {@link IllegalArgumentException} fit to show. */
final class Validation {
	private Validation() {
	}

	static String displayName(String name) {
		String n = name == null ? "" : name.strip();
		if (n.isEmpty()) {
			throw new IllegalArgumentException("The display name is empty");
		}
		if (n.codePointCount(0, n.length()) > NodeSettings.DISPLAY_NAME_LIMIT) {
			throw new IllegalArgumentException(
					"The display name is longer than " + NodeSettings.DISPLAY_NAME_LIMIT + " characters");
		}
		if (Json.hasLoneSurrogate(n) || n.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("The display name contains control or broken characters");
		}
		return n;
	}

	static String circleName(String name, boolean mayBeEmpty) {
		String n = name == null ? "" : name.strip();
		if (n.isEmpty()) {
			if (mayBeEmpty) {
				return n;
			}
			throw new IllegalArgumentException("The circle name is empty");
		}
		if (n.codePointCount(0, n.length()) > ControlApplier.NAME_LIMIT) {
			throw new IllegalArgumentException(
					"The circle name is longer than " + ControlApplier.NAME_LIMIT + " characters");
		}
		if (Json.hasLoneSurrogate(n) || n.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("The circle name contains control or broken characters");
		}
		return n;
	}

	/** A {@code host:port} or relay URL to reach a circle by; empty (or the web's placeholder) for none. */
	static String bootstrapPeer(String peer) {
		String p = peer == null ? "" : peer.strip();
		if (p.isEmpty() || InviteCodes.WEB_NO_RELAY_PLACEHOLDER.equals(p)) {
			return "";
		}
		if (InviteCodes.isRelayUrl(p)) {
			return p;
		}
		try {
			InviteCodes.parseHostPort(p);
		} catch (ProtocolException e) {
			throw new IllegalArgumentException(e.getMessage().replace("The invite peer", "The peer"), e);
		}
		return p;
	}
}
