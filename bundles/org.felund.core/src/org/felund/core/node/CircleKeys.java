package org.felund.core.node;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.CryptoService;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.api.store.CircleStore;
import org.felund.api.store.SecretStore;

/** The keyed crypto of each circle this node is in, built once from the key store; and decrypting at rest. */
final class CircleKeys {
	private static final System.Logger LOG = System.getLogger(CircleKeys.class.getName());

	private final CryptoService crypto;
	private final CircleStore state;
	private final SecretStore secrets;
	private final Map<String, CircleCrypto> cache = new ConcurrentHashMap<>();

	CircleKeys(CryptoService crypto, CircleStore state, SecretStore secrets) {
		this.crypto = crypto;
		this.state = state;
		this.secrets = secrets;
	}

	/** The circle's crypto; empty for an unknown circle or one whose secret is missing or wrong. */
	Optional<CircleCrypto> of(String circleId) {
		if (circleId == null) {
			return Optional.empty();
		}
		CircleCrypto cached = cache.get(circleId);
		if (cached != null) {
			return Optional.of(cached);
		}
		if (state.circle(circleId).isEmpty()) {
			return Optional.empty();
		}
		Optional<CircleSecret> secret = secrets.get(circleId);
		if (secret.isEmpty()) {
			LOG.log(Level.WARNING, "Circle " + circleId + " has no secret in the key store; it is skipped");
			return Optional.empty();
		}
		CircleCrypto cc = crypto.forCircle(secret.get());
		if (!cc.circleId().equals(circleId)) {
			LOG.log(Level.ERROR, "The stored secret of circle " + circleId + " belongs to another circle");
			return Optional.empty();
		}
		cache.put(circleId, cc);
		return Optional.of(cc);
	}

	CircleCrypto require(String circleId) {
		return of(circleId)
				.orElseThrow(() -> new IllegalArgumentException("The secret of circle " + circleId + " is missing"));
	}

	void remember(CircleCrypto cc) {
		cache.put(cc.circleId(), cc);
	}

	void forget(String circleId) {
		cache.remove(circleId);
	}

	/** The plaintext of a message kept at rest; empty (and logged) when it has no envelope or does not open. */
	static Optional<ChatMessage> decrypt(CircleCrypto cc, ChatMessage atRest) {
		if (atRest.enc() == null) {
			LOG.log(Level.WARNING, "Stored message " + atRest.msgId() + " has no envelope; skipped");
			return Optional.empty();
		}
		try {
			DecryptedBody body = cc.open(atRest.header(), atRest.enc());
			return Optional.of(atRest.withPlaintext(body.displayName(), body.text()));
		} catch (CryptoException e) {
			LOG.log(Level.WARNING, "Stored message " + atRest.msgId() + " does not decrypt: " + e.getMessage());
			return Optional.empty();
		}
	}

	/** Plaintext, a correct legacy MAC and the given envelope: what every transport can send as is. */
	static ChatMessage wireReady(CircleCrypto cc, ChatMessage plain, Envelope envelope) {
		return plain.withMac(cc.legacyMac(plain)).withEnvelope(envelope);
	}
}
