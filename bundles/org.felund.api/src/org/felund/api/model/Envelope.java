package org.felund.api.model;

import java.util.Objects;

/**
 * The schema-2 {@code enc} object: AES-256-GCM of {@code {"display_name","text"}} under the circle's
 * message key, with the message header as AAD. {@code nonce} and {@code ciphertext} are standard base64.
 * {@code alg} and {@code keyId} are carried verbatim; the reference never checks them.
 */
public record Envelope(String alg, String keyId, String nonce, String ciphertext) {
	public static final String ALG = "AES-256-GCM";
	public static final String KEY_ID = "epoch-0";

	public Envelope {
		Objects.requireNonNull(nonce, "nonce");
		Objects.requireNonNull(ciphertext, "ciphertext");
		alg = alg == null ? ALG : alg;
		keyId = keyId == null ? KEY_ID : keyId;
	}

	public static Envelope of(String nonce, String ciphertext) {
		return new Envelope(ALG, KEY_ID, nonce, ciphertext);
	}
}
