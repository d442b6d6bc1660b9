package org.felund.api.crypto;

/** The plaintext of an {@code enc} envelope. Missing keys decrypt to {@code ""}. */
public record DecryptedBody(String displayName, String text) {
}
