package org.felund.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.felund.api.store.StoreException;
import org.felund.store.sqlite.Fixtures;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.store.sqlite.StoreOptions;
import org.felund.store.sqlite.StoreOptions.Durability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
	@TempDir
	Path home;

	@Test
	void theConfiguredDurabilityIsSqlitesSynchronousSetting() {
		for (Durability d : Durability.values()) {
			try (Database db = Database.open(home.resolve(d + ".db"), StoreOptions.DEFAULT.withDurability(d))) {
				long expected = d == Durability.POWER_LOSS ? 2 : 1; // FULL = 2, NORMAL = 1
				assertEquals(expected, db.write("reading", s -> s.queryLong("PRAGMA synchronous")));
			}
		}
	}

	@Test
	void durableTransactionsFlushEvenWhenTheStoreRunsWithNormal() {
		try (Database db = Database.open(home.resolve("t.db"),
				StoreOptions.DEFAULT.withDurability(Durability.PROCESS_CRASH))) {
			db.write("creating", s -> {
				s.execute("CREATE TABLE t(x INTEGER) STRICT");
				return null;
			});
			long inside = db.durableTransaction("inserting", s -> {
				s.execute("INSERT INTO t VALUES(1)");
				return s.queryLong("PRAGMA synchronous");
			});
			assertEquals(2, inside, "FULL while the durable transaction commits");
			assertEquals(1, db.write("reading", s -> s.queryLong("PRAGMA synchronous")), "NORMAL again afterwards");
			assertEquals(1, db.read("counting", s -> s.queryLong("SELECT count(*) FROM t")));
		}
	}

	@Test
	void aWriterBlockedLongerThanTheBusyTimeoutGetsAClearError() throws Exception {
		Fixtures.open(home).close();
		try (SqliteNodeStore store = SqliteNodeStore.open(home, null,
				StoreOptions.DEFAULT.withBusyTimeout(Duration.ofMillis(200)));
				Connection other = Fixtures.rawConnection(home); Statement s = other.createStatement()) {
			s.execute("BEGIN IMMEDIATE"); // another process holds the write lock
			long start = System.nanoTime();
			var e = assertThrows(StoreException.class, () -> store.state().putSetting("k", "v"));
			long waitedMs = (System.nanoTime() - start) / 1_000_000;
			assertTrue(e.getMessage().contains("busy timeout (200 ms)"), e.getMessage());
			assertTrue(waitedMs >= 150, "it waited for the other process first: " + waitedMs + " ms");
			s.execute("ROLLBACK");
			store.state().putSetting("k", "v");
			assertEquals("v", store.state().setting("k").orElseThrow());
		}
	}

	@Test
	void readsDoNotWaitForAnotherProcessesWrite() throws Exception {
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.state().putSetting("k", "v");
			try (Connection other = Fixtures.rawConnection(home); Statement s = other.createStatement()) {
				s.execute("BEGIN IMMEDIATE");
				s.execute("DELETE FROM settings");
				assertEquals("v", store.state().setting("k").orElseThrow(), "WAL readers see the last commit");
				s.execute("COMMIT");
			}
			assertEquals(List.of(), store.state().setting("k").stream().toList());
		}
	}

	@Test
	void aFileThatIsNotADatabaseIsReportedAndKept() throws Exception {
		byte[] garbage = "this is a shopping list, not a database\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
		Files.write(home.resolve(SqliteNodeStore.DATABASE_FILE), garbage);
		var e = assertThrows(StoreException.class, () -> Fixtures.open(home));
		assertTrue(e.getMessage().contains("not a database") && e.getMessage().contains(SqliteNodeStore.DATABASE_FILE),
				e.getMessage());
		assertArrayEquals(garbage, Files.readAllBytes(home.resolve(SqliteNodeStore.DATABASE_FILE)));
	}

	@Test
	void durabilityNamesParse() {
		assertEquals(Durability.POWER_LOSS, Durability.parse(" FULL "));
		assertEquals(Durability.PROCESS_CRASH, Durability.parse("normal"));
		assertEquals(Durability.PROCESS_CRASH, Durability.parse("process-crash"));
		var e = assertThrows(IllegalArgumentException.class, () -> Durability.parse("off"));
		assertTrue(e.getMessage().contains("'off'"), e.getMessage());
	}
}
