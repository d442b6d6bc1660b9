package org.felund.transport.relay.internal;

/**
 * A relay request that did not succeed.
 * <ul>
 * <li>{@link Kind#UNAVAILABLE}: nothing usable answered (connection refused or reset, timeout, 5xx, 429, a reply that
 * is not the relay's JSON). Retried with back-off; the relay counts as unreachable.</li>
 * <li>{@link Kind#REJECTED}: the relay answered and refused this request (4xx). The relay is reachable.</li>
 * </ul>
 */
public final class RelayException extends Exception {
	private static final long serialVersionUID = 1L;

	public enum Kind {
		UNAVAILABLE, REJECTED
	}

	private final Kind kind;
	private final int status;
	private final String code;

	public RelayException(Kind kind, int status, String code, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
		this.status = status;
		this.code = code == null ? "" : code;
	}

	public static RelayException unavailable(String message, Throwable cause) {
		return new RelayException(Kind.UNAVAILABLE, 0, "", message, cause);
	}

	public Kind kind() {
		return kind;
	}

	public boolean unavailable() {
		return kind == Kind.UNAVAILABLE;
	}

	/** HTTP status, or 0 when no response arrived. */
	public int status() {
		return status;
	}

	/** The PHP-style signature error code ({@code INVALID_SIGNATURE}, {@code EXPIRED_TIMESTAMP}, …) or {@code ""}. */
	public String code() {
		return code;
	}

	/** A signature the relay refused: the key may have expired with the presence row (§10 #21), so re-register. */
	public boolean signatureRefused() {
		return kind == Kind.REJECTED && (status == 401 || "INVALID_SIGNATURE".equals(code));
	}

	public boolean clockSkew() {
		return "EXPIRED_TIMESTAMP".equals(code);
	}
}
