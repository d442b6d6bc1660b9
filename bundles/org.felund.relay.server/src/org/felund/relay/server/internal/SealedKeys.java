package org.felund.relay.server.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;

import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.internal.store.RelayStore;
import org.felund.relay.server.internal.store.RelayStore.CircleKey;

/**
 * Ties a database to its key file: loads (or on first use creates) the file, makes sure it is the one the
 * database's keys were sealed with, and seals keys stored before sealing existed.
 */
final class SealedKeys {
	private static final System.Logger LOG = System.getLogger("org.felund.relay.server");
	/** Metadata key of the sealing key's check value. */
	static final String CHECK = "key_seal_check";

	private SealedKeys() {
	}

	static KeySealer open(RelayConfig config, RelayStore db) throws IOException, SQLException {
		Path file = config.effectiveKeyFile();
		String expected = db.meta(CHECK);
		KeySealer sealer = KeySealer.load(file, expected == null);
		String check = db.putMetaIfAbsent(CHECK, sealer.checkValue());
		if (!check.equals(sealer.checkValue())) {
			throw new IOException("the circle keys in this database were sealed with another key file than " + file
					+ ": give every instance of a database the same --key-file (copy it from the first one); if the"
					+ " right file is lost, 'felund-relay admin reset-sealing' forgets the bindings");
		}
		int sealed = 0;
		for (CircleKey k : db.circleKeys()) {
			if (!KeySealer.isSealed(k.signingKey())
					&& db.replaceStoredKey(k.circleHint(), k.signingKey(), sealer.seal(k.circleHint(), k.signingKey()))) {
				sealed++;
			}
		}
		if (sealed > 0) {
			LOG.log(System.Logger.Level.INFO, "sealed " + sealed + " circle signing keys stored before sealing existed");
		}
		return sealer;
	}
}
