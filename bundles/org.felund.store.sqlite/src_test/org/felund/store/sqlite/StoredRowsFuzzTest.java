package org.felund.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.store.StoreException;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of stored rows (issue 14, fault campaign): a database edited by another tool or damaged on
 * disk holds values of the right SQL type but any content. Reading it through the store gives the rows or a
 * {@link StoreException} that says what is wrong; nothing else escapes, and the rows that were not damaged still read.
 * 1,000 seed-stable inputs per property in every build; {@code -Dfelund.fuzz.tries=1000000} is the benchmark run.
 */
class StoredRowsFuzzTest {
	static final String[] MESSAGE_TEXT_COLUMNS = { "circle_id", "msg_id", "channel_id", "author_node_id", "mac", "enc_alg",
			"enc_key_id", "enc_nonce", "enc_ciphertext" };
	static final String[] MESSAGE_INT_COLUMNS = { "created_ts", "schema_version" };
	static Path home;
	static SqliteNodeStore store;
	static Connection raw;
	static String circleId;
	static ChatMessage intact;

	@BeforeContainer
	static void open() throws Exception {
		// On a RAM file system where there is one: the property writes a row per try, and the million-input run
		// should measure the reader, not the disk's fsync.
		Path shm = Path.of("/dev/shm");
		home = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "felund-rows-fuzz")
				: Files.createTempDirectory("felund-rows-fuzz");
		store = SqliteNodeStore.open(home, null);
		CircleSecret secret = Fixtures.randomSecret();
		circleId = Fixtures.circleIdOf(secret);
		store.state().putCircle(new Circle(circleId, "e03c84dccc271635", "Friends", 100, "127.0.0.1:9000"));
		intact = Fixtures.message(circleId, "general", Fixtures.id(1), 1_700_000_000L);
		store.messages().putAll(List.of(intact));
		raw = Fixtures.rawConnection(home);
	}

	@AfterContainer
	static void close() throws Exception {
		raw.close();
		store.close();
		try (var files = Files.walk(home)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
	}

	static String garbage(Random rnd) {
		String[] seeds = { "", " ", "general", "__control", "\u202e", "\ud800", "\u0000", "AES-256-GCM", "epoch-0",
				"AAAAAAAAAAAAAAAA", "not base64!", "=", "0".repeat(300), "5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f" };
		if (rnd.nextInt(3) == 0) {
			StringBuilder s = new StringBuilder();
			for (int i = rnd.nextInt(40); i > 0; i--) {
				s.append((char) rnd.nextInt(0x3000));
			}
			return s.toString();
		}
		return seeds[rnd.nextInt(seeds.length)];
	}

	@Property(seed = "20261240")
	void aDamagedMessageRowReadsOrIsRefusedWithAStoreException(@ForAll long salt,
			@ForAll @IntRange(min = 1, max = 3) int damaged) throws SQLException {
		Random rnd = new Random(salt);
		String msgId = Fixtures.id(2 + rnd.nextInt(1_000_000));
		store.messages().putAll(List.of(Fixtures.message(circleId, "general", msgId, 1_700_000_001L)));
		for (int i = 0; i < damaged; i++) {
			boolean text = rnd.nextInt(4) != 0;
			String column = text ? MESSAGE_TEXT_COLUMNS[rnd.nextInt(MESSAGE_TEXT_COLUMNS.length)]
					: MESSAGE_INT_COLUMNS[rnd.nextInt(MESSAGE_INT_COLUMNS.length)];
			try (PreparedStatement ps = raw.prepareStatement("UPDATE messages SET " + column + "=? WHERE msg_id=?")) {
				if (text) {
					ps.setString(1, garbage(rnd));
				} else {
					ps.setLong(1, rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(5) - 2);
				}
				ps.setString(2, msgId);
				ps.executeUpdate();
			} catch (SQLException e) {
				// The schema refused the value (a duplicate key): nothing was damaged this time.
			}
		}
		try {
			store.messages().get(circleId, msgId);
			store.messages().history(circleId, "general", null, 50);
			store.messages().recent(circleId, true, 50);
			store.messages().keys(circleId, null, null, 50);
		} catch (StoreException e) {
			// Refused with a reason.
		} finally {
			try (PreparedStatement ps = raw.prepareStatement("DELETE FROM messages WHERE msg_id<>?")) {
				ps.setString(1, intact.msgId());
				ps.executeUpdate();
			}
		}
		assertEquals(intact, store.messages().get(circleId, intact.msgId()).orElseThrow(), "an intact row still reads");
	}

	@Property(seed = "20261241")
	void aDamagedSealedFieldIsRefusedWithAStoreException(@ForAll byte[] sealed, @ForAll boolean circleName)
			throws SQLException {
		String sql = circleName ? "UPDATE circles SET name_sealed=? WHERE circle_id=?"
				: "UPDATE settings SET value_sealed=? WHERE key='fuzz'";
		if (!circleName) {
			store.state().putSetting("fuzz", "value");
		}
		try (PreparedStatement ps = raw.prepareStatement(sql)) {
			ps.setBytes(1, sealed);
			if (circleName) {
				ps.setString(2, circleId);
			}
			ps.executeUpdate();
		} catch (SQLException e) {
			return; // no such column in this schema version: nothing to damage
		}
		try {
			store.state().circles();
			store.state().setting("fuzz");
		} catch (StoreException e) {
			// Refused with a reason.
		} finally {
			store.state().putCircle(new Circle(circleId, "e03c84dccc271635", "Friends", 100, "127.0.0.1:9000"));
		}
		assertEquals("Friends", store.state().circle(circleId).orElseThrow().name());
	}
}
