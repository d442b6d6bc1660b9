package org.felund.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.felund.api.store.StoreException;
import org.felund.store.sqlite.Fixtures;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.store.sqlite.StoreOptions;
import org.felund.store.sqlite.internal.Migrations.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
	@TempDir
	Path home;

	@Test
	void anEmptyVersionZeroFileIsMigratedToTheCurrentSchema() throws Exception {
		try (Connection c = Fixtures.rawConnection(home)) {
			assertEquals(0, userVersion(c), "a new SQLite file is version 0");
		}
		try (SqliteNodeStore store = Fixtures.open(home)) {
			assertEquals(Schema.STEPS.size(), store.schemaVersion());
		}
		try (Connection c = Fixtures.rawConnection(home)) {
			assertEquals(Schema.STEPS.size(), userVersion(c));
			Set<String> tables = strings(c, "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%'");
			assertEquals(new TreeSet<>(List.of("meta", "messages", "circles", "channels", "channel_members",
					"channel_requests", "circle_members", "peers", "display_names", "anchors", "settings", "secrets",
					"deliveries")),
					tables);
			Set<String> indexes = strings(c, "SELECT name FROM sqlite_schema WHERE type='index' AND tbl_name='messages'"
					+ " AND name NOT LIKE 'sqlite_%'");
			assertEquals(Set.of("messages_by_channel", "messages_by_time"), indexes);
			assertEquals("wal", strings(c, "PRAGMA journal_mode").iterator().next());
		}
	}

	@Test
	void reopeningACurrentFileRunsNoStep() {
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.state().putSetting("k", "v");
		}
		try (SqliteNodeStore store = Fixtures.open(home)) {
			assertEquals("v", store.state().setting("k").orElseThrow(), "a re-run of step 1 would have failed or wiped it");
		}
	}

	@Test
	void aFileFromANewerFelundIsRefusedAndLeftUntouched() throws Exception {
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.state().putSetting("k", "v");
		}
		int newer = Schema.STEPS.size() + 1;
		try (Connection c = Fixtures.rawConnection(home); Statement s = c.createStatement()) {
			s.execute("PRAGMA user_version=" + newer);
		}
		byte[] before = Files.readAllBytes(home.resolve(SqliteNodeStore.DATABASE_FILE));
		var e = assertThrows(StoreException.class, () -> Fixtures.open(home));
		assertTrue(e.getMessage().contains("schema version " + newer) && e.getMessage().contains("newer Felund"),
				e.getMessage());
		assertArrayEquals(before, Files.readAllBytes(home.resolve(SqliteNodeStore.DATABASE_FILE)));
		try (Connection c = Fixtures.rawConnection(home)) {
			assertEquals(newer, userVersion(c));
		}
	}

	@Test
	void stepsRunInOrderOnceEachAndOnlyTheMissingOnes() throws Exception {
		List<String> ran = new ArrayList<>();
		Step one = new Step(1, "table a", List.of("CREATE TABLE a(x INTEGER) STRICT", "INSERT INTO a VALUES(1)"));
		Step two = new Step(2, "column y", List.of("ALTER TABLE a ADD COLUMN y TEXT NOT NULL DEFAULT 'two'"));
		Step three = new Step(3, "table b", List.of("CREATE TABLE b(z INTEGER) STRICT"));
		Path file = home.resolve("custom.db");
		try (Database db = Database.open(file, StoreOptions.DEFAULT)) {
			assertEquals(0, new Migrations(List.of(one)).migrate(db));
			assertEquals(1, Migrations.version(db));
			// an older Felund wrote version 1; a newer one adds 2 and 3
			assertEquals(1, new Migrations(List.of(one, two, three)).migrate(db));
			assertEquals(3, Migrations.version(db));
			db.read("checking", s -> {
				ran.addAll(s.queryStrings("SELECT x || '-' || y FROM a"));
				ran.addAll(s.queryStrings("SELECT name FROM sqlite_schema WHERE name='b'"));
				return null;
			});
			assertEquals(3, new Migrations(List.of(one, two, three)).migrate(db), "nothing left to do");
		}
		assertEquals(List.of("1-two", "b"), ran, "step 1 ran once (one row), then 2 and 3");
	}

	@Test
	void aFailingStepLeavesTheFileAtThePreviousVersion() {
		Step one = new Step(1, "table a", List.of("CREATE TABLE a(x INTEGER) STRICT"));
		Step broken = new Step(2, "broken", List.of("CREATE TABLE c(x INTEGER) STRICT", "THIS IS NOT SQL"));
		try (Database db = Database.open(home.resolve("custom.db"), StoreOptions.DEFAULT)) {
			var e = assertThrows(StoreException.class, () -> new Migrations(List.of(one, broken)).migrate(db));
			assertTrue(e.getMessage().contains("version 2 (broken)"), e.getMessage());
			assertEquals(1, Migrations.version(db));
			assertEquals(List.of(), db.read("checking", s -> s.queryStrings("SELECT name FROM sqlite_schema WHERE name='c'")),
					"the step's first statement was rolled back with it");
		}
	}

	@Test
	void stepNumbersMustBeContiguousFromOne() {
		Step two = new Step(2, "two", List.of("SELECT 1"));
		assertThrows(IllegalArgumentException.class, () -> new Migrations(List.of(two)));
	}

	private static int userVersion(Connection c) throws Exception {
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
			return rs.next() ? rs.getInt(1) : -1;
		}
	}

	private static Set<String> strings(Connection c, String sql) throws Exception {
		Set<String> out = new TreeSet<>();
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
			while (rs.next()) {
				out.add(rs.getString(1));
			}
		}
		return out;
	}
}
