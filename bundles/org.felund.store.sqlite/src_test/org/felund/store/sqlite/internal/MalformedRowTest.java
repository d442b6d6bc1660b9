package org.felund.store.sqlite.internal;

import static org.felund.store.sqlite.Fixtures.CIRCLE;
import static org.felund.store.sqlite.Fixtures.id;
import static org.felund.store.sqlite.Fixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Set;

import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.store.StoreException;
import org.felund.store.sqlite.Fixtures;
import org.felund.store.sqlite.SqliteNodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows damaged behind the store's back (another tool, a disk fault) are reported by name and left in place. */
class MalformedRowTest {
	@TempDir
	Path home;

	@Test
	void aMessageRowWithABrokenEnvelopeIsNamedAndTheRestStaysReadable() throws Exception {
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.messages().putAll(List.of(message(CIRCLE, "general", id(1), 1), message(CIRCLE, "general", id(2), 2),
					message(CIRCLE, "games", id(3), 3)));
		}
		update("UPDATE messages SET enc_nonce='%%%' WHERE msg_id=?", id(2));
		try (SqliteNodeStore store = Fixtures.open(home)) {
			var e = assertThrows(StoreException.class, () -> store.messages().get(CIRCLE, id(2)));
			assertTrue(e.getMessage().contains("seq 2") && e.getMessage().contains(id(2))
					&& e.getMessage().contains("enc.nonce"), e.getMessage());
			var inHistory = assertThrows(StoreException.class,
					() -> store.messages().history(CIRCLE, "general", null, 10));
			assertTrue(inHistory.getMessage().contains(id(2)), inHistory.getMessage());
			assertEquals(id(1), store.messages().get(CIRCLE, id(1)).orElseThrow().msgId());
			assertEquals(1, store.messages().history(CIRCLE, "games", null, 10).size());
			assertTrue(store.messages().contains(CIRCLE, id(2)), "the damaged row is kept for inspection");
			assertEquals(3, store.messages().count(CIRCLE, null, null));
		}
	}

	@Test
	void aMessageRowWithAnEmptyIdIsNamedBySequence() throws Exception {
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.messages().put(message(CIRCLE, "general", id(1), 1));
		}
		update("UPDATE messages SET author_node_id='' WHERE msg_id=?", id(1));
		try (SqliteNodeStore store = Fixtures.open(home)) {
			var e = assertThrows(StoreException.class, () -> store.messages().since(CIRCLE, 0, 10));
			assertTrue(e.getMessage().contains("seq 1") && e.getMessage().contains("author_node_id is empty"),
					e.getMessage());
		}
	}

	@Test
	void aDisplayNameSealedForAnotherNodeDoesNotOpen() throws Exception {
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.state().setDisplayName(CIRCLE, "n1", "Ann");
			store.state().setDisplayName(CIRCLE, "n2", "Bob");
		}
		update("UPDATE display_names SET name_sealed=(SELECT name_sealed FROM display_names WHERE node_id='n1')"
				+ " WHERE node_id=?", "n2");
		try (SqliteNodeStore store = Fixtures.open(home)) {
			var e = assertThrows(StoreException.class, () -> store.state().displayName(CIRCLE, "n2"));
			assertTrue(e.getMessage().contains("display name of node n2"), e.getMessage());
			assertEquals("Ann", store.state().displayName(CIRCLE, "n1").orElseThrow());
		}
	}

	@Test
	void aChannelWithAnUnknownAccessModeIsNamed() throws Exception {
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.state().putChannel(new Channel(CIRCLE, "games", AccessMode.PUBLIC, "", 1, "", Set.of(), Set.of()));
		}
		update("UPDATE channels SET access_mode='secret' WHERE channel_id=?", "games");
		try (SqliteNodeStore store = Fixtures.open(home)) {
			var e = assertThrows(StoreException.class, () -> store.state().channels(CIRCLE));
			assertTrue(e.getMessage().contains(CIRCLE + "/games") && e.getMessage().contains("'secret'"), e.getMessage());
		}
	}

	@Test
	void aTruncatedSettingIsNamed() throws Exception {
		try (SqliteNodeStore store = Fixtures.open(home)) {
			store.state().putSetting("relay_url", "http://127.0.0.1:8080");
		}
		update("UPDATE settings SET value_sealed=x'0102' WHERE key=?", "relay_url");
		try (SqliteNodeStore store = Fixtures.open(home)) {
			var e = assertThrows(StoreException.class, () -> store.state().setting("relay_url"));
			assertTrue(e.getMessage().contains("setting relay_url") && e.getMessage().contains("truncated"),
					e.getMessage());
		}
	}

	private void update(String sql, String param) throws Exception {
		try (Connection c = Fixtures.rawConnection(home); PreparedStatement ps = c.prepareStatement(sql)) {
			ps.setString(1, param);
			assertEquals(1, ps.executeUpdate());
		}
	}
}
