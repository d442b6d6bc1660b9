package org.felund.relay.server.internal;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import org.felund.api.crypto.CryptoService;
import org.felund.relay.server.internal.store.RelayStore;
import org.felund.relay.server.internal.store.RelayStore.CircleKey;

/**
 * Verifies the {@code X-Felund-*} request signature (protocol §3.8) in the order and with the results of the
 * reference PHP relay (§7.3): missing headers → 401 {@code INVALID_SIGNATURE}; timestamp off by more than the
 * allowed skew (or not an integer) → 400 {@code EXPIRED_TIMESTAMP}; nonce seen before → 409
 * {@code NONCE_REPLAY}; no key to check against or wrong signature → 401 {@code INVALID_SIGNATURE}. A nonce is
 * recorded only when the signature verified.
 */
final class RequestAuthenticator {
	static final String HEADER_NODE = "X-Felund-Node";
	static final String HEADER_TS = "X-Felund-Ts";
	static final String HEADER_NONCE = "X-Felund-Nonce";
	static final String HEADER_SIGNATURE = "X-Felund-Signature";

	static final String INVALID_SIGNATURE = "INVALID_SIGNATURE";
	static final String EXPIRED_TIMESTAMP = "EXPIRED_TIMESTAMP";
	static final String NONCE_REPLAY = "NONCE_REPLAY";
	/** A register that offers another key than the circle's bound one (not a reference code: none can happen there). */
	static final String KEY_MISMATCH = "KEY_MISMATCH";

	private static final int MAX_NONCE_CHARS = 128;
	private static final int MAX_SIGNATURE_CHARS = 128;

	private final RelayStore db;
	private final CryptoService crypto;
	private final KeySealer sealer;
	private final long clockSkewSeconds;
	private final long keyRetentionSeconds;

	RequestAuthenticator(RelayStore db, CryptoService crypto, KeySealer sealer, long clockSkewSeconds,
			long keyRetentionSeconds) {
		this.db = db;
		this.crypto = crypto;
		this.sealer = sealer;
		this.clockSkewSeconds = clockSkewSeconds;
		this.keyRetentionSeconds = keyRetentionSeconds;
	}

	/** Whether the request carries any of the signature headers (then it is always verified completely). */
	static boolean attemptsSignature(ApiRequest request) {
		return present(request.header().apply(HEADER_TS)) || present(request.header().apply(HEADER_NONCE))
				|| present(request.header().apply(HEADER_SIGNATURE));
	}

	/**
	 * Verifies the request against {@code signingKey}.
	 *
	 * @param signingKey the 64-hex key to check with; empty when the circle has none (always 401 then, after
	 *                   the timestamp and nonce checks, as the reference does)
	 */
	void verify(ApiRequest request, Optional<String> signingKey, long now) throws ApiException, SQLException {
		String tsText = request.header().apply(HEADER_TS);
		String nonce = request.header().apply(HEADER_NONCE);
		String signature = request.header().apply(HEADER_SIGNATURE);
		if (!present(tsText) || !present(nonce) || !present(signature)) {
			throw ApiException.signature(401, INVALID_SIGNATURE,
					"X-Felund-Ts, X-Felund-Nonce and X-Felund-Signature are all required");
		}
		long ts;
		try {
			ts = Long.parseLong(tsText.trim());
		} catch (NumberFormatException e) {
			throw ApiException.signature(400, EXPIRED_TIMESTAMP, "X-Felund-Ts must be integer Unix seconds",
					Map.of("server_time", now));
		}
		if (Math.abs(now - ts) > clockSkewSeconds) {
			// The server's clock in the answer lets a client with a wrong clock sign with the relay's time.
			throw ApiException.signature(400, EXPIRED_TIMESTAMP,
					"X-Felund-Ts is more than " + clockSkewSeconds + " s away from the server clock",
					Map.of("server_time", now));
		}
		if (nonce.length() > MAX_NONCE_CHARS || signature.length() > MAX_SIGNATURE_CHARS) {
			throw ApiException.signature(401, INVALID_SIGNATURE, "signature headers are too long");
		}
		if (db.nonceSeen(nonce)) {
			throw ApiException.signature(409, NONCE_REPLAY, "this X-Felund-Nonce was already used");
		}
		if (signingKey.isEmpty()) {
			throw ApiException.signature(401, INVALID_SIGNATURE,
					"no signing key is bound for this circle; register with signing_key first");
		}
		boolean valid = crypto.verifyApiRequest(signingKey.get(), request.method(), request.signedPath(),
				request.body(), ts, nonce, signature);
		if (!valid) {
			throw ApiException.signature(401, INVALID_SIGNATURE, "the request signature does not verify");
		}
		if (!db.recordNonce(nonce, ts)) {
			throw ApiException.signature(409, NONCE_REPLAY, "this X-Felund-Nonce was already used");
		}
	}

	/**
	 * Verifies the request with the circle's bound key and keeps the binding alive. Refreshes the key's expiry
	 * at most about once a day so that a busy circle does not cost a write per request.
	 */
	void verifyWithBoundKey(ApiRequest request, Optional<CircleKey> bound, long now) throws ApiException, SQLException {
		CircleKey key = bound.orElseThrow();
		verify(request, Optional.of(plainKey(key)), now);
		long renewed = now + keyRetentionSeconds;
		if (renewed - key.expiresAt() > Math.min(86_400, keyRetentionSeconds / 2)) {
			db.touchCircleKey(key.circleHint(), key.signingKey(), renewed);
		}
	}

	/** The 64-hex key of a binding (stored sealed). */
	String plainKey(CircleKey key) {
		return sealer.unseal(key.circleHint(), key.signingKey());
	}

	private static boolean present(String value) {
		return value != null && !value.isEmpty();
	}
}
