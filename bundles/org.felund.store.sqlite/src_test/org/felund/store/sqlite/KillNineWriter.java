package org.felund.store.sqlite;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child process of {@link KillNineTest}: stores messages one by one and prints each id on stdout only after
 * {@code put} has returned (that is the acknowledgement), until it is killed.
 * <p>
 * Arguments: home directory, durability ({@code full} or {@code normal}).
 */
public final class KillNineWriter {
	private KillNineWriter() {
	}

	public static void main(String[] args) {
		Path home = Path.of(args[0]);
		StoreOptions options = StoreOptions.DEFAULT.withDurability(StoreOptions.Durability.parse(args[1]));
		PrintStream out = System.out;
		try (SqliteNodeStore store = SqliteNodeStore.open(home, null, options)) {
			out.println("ready");
			out.flush();
			for (long i = 0;; i++) {
				String id = Fixtures.id(i);
				store.messages().put(Fixtures.message(Fixtures.CIRCLE, i % 7 == 0 ? "games" : "general", id, 1_000 + i));
				out.println(id);
				out.flush();
			}
		}
	}
}
