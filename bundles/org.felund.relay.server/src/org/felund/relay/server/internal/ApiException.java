package org.felund.relay.server.internal;

import java.util.Map;

/**
 * A request the relay refuses, with the HTTP status and the JSON error body the reference relays use:
 * {@code {"ok":false,"detail":…}} for validation errors, {@code {"ok":false,"code":…}} (here with a
 * {@code detail} as well) for signature errors.
 */
final class ApiException extends Exception {
	private static final long serialVersionUID = 1L;

	private final int status;
	private final String code;
	private final Map<String, String> headers;
	private final Map<String, Object> extraFields;

	private ApiException(int status, String code, String detail, Map<String, String> headers,
			Map<String, Object> extraFields) {
		super(detail, null, false, false);
		this.status = status;
		this.code = code;
		this.headers = headers;
		this.extraFields = extraFields;
	}

	static ApiException badRequest(String detail) {
		return new ApiException(400, null, detail, Map.of(), Map.of());
	}

	/** A 400 that also reports how many elements of the request were nevertheless stored. */
	static ApiException badRequest(String detail, Map<String, Object> extraFields) {
		return new ApiException(400, null, detail, Map.of(), extraFields);
	}

	static ApiException status(int status, String detail) {
		return new ApiException(status, null, detail, Map.of(), Map.of());
	}

	static ApiException status(int status, String detail, Map<String, String> headers) {
		return new ApiException(status, null, detail, headers, Map.of());
	}

	static ApiException signature(int status, String code, String detail) {
		return new ApiException(status, code, detail, Map.of(), Map.of());
	}

	/** A signature error with more fields in its body (e.g. the server's clock for a refused timestamp). */
	static ApiException signature(int status, String code, String detail, Map<String, Object> extraFields) {
		return new ApiException(status, code, detail, Map.of(), extraFields);
	}

	int status() {
		return status;
	}

	/** {@code INVALID_SIGNATURE}, {@code EXPIRED_TIMESTAMP}, {@code NONCE_REPLAY} or {@code null}. */
	String code() {
		return code;
	}

	String detail() {
		return getMessage();
	}

	Map<String, String> headers() {
		return headers;
	}

	Map<String, Object> extraFields() {
		return extraFields;
	}
}
