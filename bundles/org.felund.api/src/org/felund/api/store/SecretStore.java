package org.felund.api.store;

import java.util.Optional;

import org.felund.api.crypto.CircleSecret;

/**
 * Keeps circle secrets out of the database in clear: an encrypted key store for one node home.
 */
public interface SecretStore {
	void put(String circleId, CircleSecret secret);

	Optional<CircleSecret> get(String circleId);

	void remove(String circleId);
}
