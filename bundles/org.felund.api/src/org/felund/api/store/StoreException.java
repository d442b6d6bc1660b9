package org.felund.api.store;

/** The store could not complete an operation (I/O, corruption, a row that fails validation). */
public class StoreException extends RuntimeException {
	private static final long serialVersionUID = 1L;

	public StoreException(String message) {
		super(message);
	}

	public StoreException(String message, Throwable cause) {
		super(message, cause);
	}
}
