package org.felund.store.sqlite.internal;

import java.util.List;

import org.felund.store.sqlite.internal.Migrations.Step;

/**
 * The store's schema as ordered migrations. Never edit a released step: add a new one.
 * <p>
 * Nothing readable about message content is stored: messages keep only their encrypted envelope and header;
 * display names, circle names, channel key hashes and settings are sealed with the home's storage key (columns
 * named {@code *_sealed}); circle secrets are sealed with a key of their own. Tables are {@code STRICT} so a
 * value of the wrong type can never be stored.
 */
public final class Schema {
	private Schema() {
	}

	public static final List<Step> STEPS = List.of(new Step(1, "initial schema", List.of(
			"""
			CREATE TABLE meta(
			  key TEXT PRIMARY KEY,
			  value TEXT NOT NULL
			) STRICT
			""",
			// seq is AUTOINCREMENT so a sequence number is never reused after the newest row is pruned: a
			// change-feed cursor taken from lastSeq() must never skip a later row.
			"""
			CREATE TABLE messages(
			  seq INTEGER PRIMARY KEY AUTOINCREMENT,
			  circle_id TEXT NOT NULL,
			  msg_id TEXT NOT NULL,
			  channel_id TEXT NOT NULL,
			  author_node_id TEXT NOT NULL,
			  created_ts INTEGER NOT NULL,
			  mac TEXT NOT NULL,
			  schema_version INTEGER NOT NULL,
			  enc_alg TEXT NOT NULL,
			  enc_key_id TEXT NOT NULL,
			  enc_nonce TEXT NOT NULL,
			  enc_ciphertext TEXT NOT NULL,
			  UNIQUE(circle_id, msg_id)
			) STRICT
			""",
			"CREATE INDEX messages_by_channel ON messages(circle_id, channel_id, created_ts, msg_id)",
			"CREATE INDEX messages_by_time ON messages(circle_id, created_ts, msg_id)",
			"""
			CREATE TABLE circles(
			  circle_id TEXT PRIMARY KEY,
			  circle_hint TEXT NOT NULL,
			  name_sealed BLOB NOT NULL,
			  joined_ts INTEGER NOT NULL,
			  bootstrap_peer TEXT NOT NULL
			) STRICT
			""",
			"""
			CREATE TABLE channels(
			  circle_id TEXT NOT NULL,
			  channel_id TEXT NOT NULL,
			  access_mode TEXT NOT NULL,
			  owner_node_id TEXT NOT NULL,
			  created_ts INTEGER NOT NULL,
			  key_hash_sealed BLOB NOT NULL,
			  PRIMARY KEY(circle_id, channel_id)
			) STRICT, WITHOUT ROWID
			""",
			"""
			CREATE TABLE channel_members(
			  circle_id TEXT NOT NULL,
			  channel_id TEXT NOT NULL,
			  node_id TEXT NOT NULL,
			  PRIMARY KEY(circle_id, channel_id, node_id)
			) STRICT, WITHOUT ROWID
			""",
			"""
			CREATE TABLE channel_requests(
			  circle_id TEXT NOT NULL,
			  channel_id TEXT NOT NULL,
			  node_id TEXT NOT NULL,
			  PRIMARY KEY(circle_id, channel_id, node_id)
			) STRICT, WITHOUT ROWID
			""",
			"""
			CREATE TABLE circle_members(
			  circle_id TEXT NOT NULL,
			  node_id TEXT NOT NULL,
			  PRIMARY KEY(circle_id, node_id)
			) STRICT, WITHOUT ROWID
			""",
			// Peer records are global, keyed by node (a node has one address whatever the circle).
			"""
			CREATE TABLE peers(
			  node_id TEXT PRIMARY KEY,
			  addr TEXT NOT NULL,
			  last_seen INTEGER NOT NULL
			) STRICT
			""",
			"""
			CREATE TABLE display_names(
			  circle_id TEXT NOT NULL,
			  node_id TEXT NOT NULL,
			  name_sealed BLOB NOT NULL,
			  PRIMARY KEY(circle_id, node_id)
			) STRICT, WITHOUT ROWID
			""",
			"""
			CREATE TABLE anchors(
			  circle_id TEXT NOT NULL,
			  node_id TEXT NOT NULL,
			  can_anchor INTEGER NOT NULL,
			  public_reachable INTEGER NOT NULL,
			  is_mobile INTEGER NOT NULL,
			  announced_at INTEGER NOT NULL,
			  last_seen_ts INTEGER NOT NULL,
			  PRIMARY KEY(circle_id, node_id)
			) STRICT, WITHOUT ROWID
			""",
			"""
			CREATE TABLE settings(
			  key TEXT PRIMARY KEY,
			  value_sealed BLOB NOT NULL
			) STRICT
			""",
			"""
			CREATE TABLE secrets(
			  circle_id TEXT PRIMARY KEY,
			  secret_sealed BLOB NOT NULL
			) STRICT
			""")),
			// A channel reads in created_ts order, then in the order this node stored the messages (seq, the
			// rowid that every index ends with): created_ts has whole seconds, and the random msg_id shuffled the
			// lines of one second. Sync ranges keep (created_ts, msg_id), the wire's order (messages_by_time).
			new Step(2, "channel history in stored order", List.of("DROP INDEX messages_by_channel",
					"CREATE INDEX messages_by_channel ON messages(circle_id, channel_id, created_ts)")),
			// Who accepted the messages this node wrote (the delivery state the chat shows: sent / delivered, and
			// the path). Rows go with their message (prune) or circle; the rowid keeps the order hops arrived in.
			new Step(3, "delivery state of own messages", List.of("""
					CREATE TABLE deliveries(
					  circle_id TEXT NOT NULL,
					  msg_id TEXT NOT NULL,
					  transport_id TEXT NOT NULL,
					  peer TEXT NOT NULL,
					  route TEXT NOT NULL,
					  ts INTEGER NOT NULL,
					  PRIMARY KEY(circle_id, msg_id, transport_id, peer, route)
					) STRICT
					""")));

	public static Migrations migrations() {
		return new Migrations(STEPS);
	}
}
