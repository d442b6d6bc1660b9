package org.felund.store.sqlite;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link SqliteNodeStore} trades durability for speed and how long it waits for another process.
 *
 * @param durability what an acknowledged write survives
 * @param busyTimeout how long a write waits for another process (e.g. a CLI {@code send} beside a running
 *            node) to release the database before it fails
 */
public record StoreOptions(Durability durability, Duration busyTimeout) {
	/**
	 * {@link Durability#PROCESS_CRASH} (SQLite's recommendation for WAL) and a 10 s busy timeout. Circle secrets,
	 * circles and settings are flushed to the device regardless.
	 */
	public static final StoreOptions DEFAULT = new StoreOptions(Durability.PROCESS_CRASH, Duration.ofSeconds(10));

	public StoreOptions {
		Objects.requireNonNull(durability, "durability");
		Objects.requireNonNull(busyTimeout, "busyTimeout");
		if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("The busy timeout must be between 0 and " + Integer.MAX_VALUE
					+ " ms, got " + busyTimeout);
		}
	}

	public StoreOptions withDurability(Durability newDurability) {
		return new StoreOptions(newDurability, busyTimeout);
	}

	public StoreOptions withBusyTimeout(Duration newBusyTimeout) {
		return new StoreOptions(durability, newBusyTimeout);
	}

	/**
	 * What a write that has returned survives. Both levels survive a crash or {@code kill -9} of the process
	 * (SQLite's write-ahead log is in the operating system's cache as soon as the commit returns).
	 */
	public enum Durability {
		/**
		 * {@code synchronous=FULL}: the write-ahead log is flushed to the device on every commit, so acknowledged
		 * writes also survive power loss and operating-system crashes. Costs one fsync per transaction.
		 */
		POWER_LOSS("FULL"),
		/**
		 * {@code synchronous=NORMAL}: the log is flushed only at checkpoints. Survives process crashes; the last
		 * transactions may be lost (never corrupted) on power loss. Circle secrets, circles and settings are still
		 * written with a flush, because no peer can give them back.
		 */
		PROCESS_CRASH("NORMAL");

		private final String pragma;

		Durability(String pragma) {
			this.pragma = pragma;
		}

		/** The value of SQLite's {@code PRAGMA synchronous} for this level. */
		public String synchronousPragma() {
			return pragma;
		}

		/**
		 * Parses {@code full}/{@code normal} (SQLite's names) or {@code power-loss}/{@code process-crash}, any
		 * case.
		 */
		public static Durability parse(String value) {
			String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
			return switch (v) {
			case "full", "power-loss", "power_loss" -> POWER_LOSS;
			case "normal", "process-crash", "process_crash" -> PROCESS_CRASH;
			default -> throw new IllegalArgumentException(
					"Unknown store durability '" + value + "': use 'full' (survives power loss) or 'normal'"
							+ " (survives process crashes)");
			};
		}
	}
}
