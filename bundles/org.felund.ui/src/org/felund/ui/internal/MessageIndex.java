package org.felund.ui.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.felund.api.model.ChatMessage;

/**
 * Full-text search over decrypted messages, in an SQLite FTS5 index that lives only in this process's memory:
 * the store keeps ciphertext at rest, and so does this index (it has no file, temporary tables stay in memory,
 * and it is rebuilt from the node's history at each start).
 * <p>
 * Thread-safe: indexing runs in a background job while the node adds new messages and the UI searches.
 */
public final class MessageIndex implements AutoCloseable {
	/** One search result; {@code snippet} marks the matched words with [ and ]. */
	public record Hit(String circleId, String channelId, String msgId, String authorNodeId, String authorName,
			long createdTs, String snippet) {
	}

	private final Connection db;
	private final PreparedStatement insert;
	private final PreparedStatement exists;

	public MessageIndex() {
		try {
			// Built directly from the driver: in OSGi, DriverManager does not see drivers of other bundles.
			db = new org.sqlite.JDBC().connect("jdbc:sqlite::memory:", new Properties());
			try (Statement s = db.createStatement()) {
				s.execute("PRAGMA temp_store = MEMORY");
				s.execute("CREATE TABLE message (circle_id TEXT NOT NULL, msg_id TEXT NOT NULL, "
						+ "PRIMARY KEY (circle_id, msg_id))");
				s.execute("CREATE VIRTUAL TABLE text_index USING fts5(text, author_name, folded, circle_id UNINDEXED, "
						+ "channel_id UNINDEXED, msg_id UNINDEXED, author_node_id UNINDEXED, created_ts UNINDEXED, "
						+ "tokenize = 'unicode61 remove_diacritics 2')");
			}
			insert = db.prepareStatement("INSERT INTO text_index (text, author_name, folded, circle_id, channel_id, "
					+ "msg_id, author_node_id, created_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
			exists = db.prepareStatement("INSERT OR IGNORE INTO message (circle_id, msg_id) VALUES (?, ?)");
		} catch (SQLException e) {
			throw new IllegalStateException("Cannot open the in-memory search index: " + e.getMessage(), e);
		}
	}

	/** Indexes decrypted chat messages; control messages and ids already indexed are skipped. */
	public synchronized int add(List<ChatMessage> messages) {
		int added = 0;
		try {
			db.setAutoCommit(false);
			for (ChatMessage m : messages) {
				if (m.isControl() || m.text().isBlank()) {
					continue;
				}
				exists.setString(1, m.circleId());
				exists.setString(2, m.msgId());
				if (exists.executeUpdate() == 0) {
					continue;
				}
				insert.setString(1, m.text());
				insert.setString(2, m.displayName());
				String folded = fold(m.text() + " " + m.displayName());
				// Only what SQLite's own diacritics removal misses needs the folded copy (ł, ø, ß, æ …).
				insert.setString(3, folded.equals(foldMarks(m.text() + " " + m.displayName())) ? "" : folded);
				insert.setString(4, m.circleId());
				insert.setString(5, m.channelId());
				insert.setString(6, m.msgId());
				insert.setString(7, m.authorNodeId());
				insert.setLong(8, m.createdTs());
				insert.executeUpdate();
				added++;
			}
			db.commit();
			return added;
		} catch (SQLException e) {
			rollback();
			throw new IllegalStateException("Cannot index messages: " + e.getMessage(), e);
		} finally {
			autoCommit();
		}
	}

	public synchronized void removeCircle(String circleId) {
		try (PreparedStatement a = db.prepareStatement("DELETE FROM text_index WHERE circle_id = ?");
				PreparedStatement b = db.prepareStatement("DELETE FROM message WHERE circle_id = ?")) {
			a.setString(1, circleId);
			a.executeUpdate();
			b.setString(1, circleId);
			b.executeUpdate();
		} catch (SQLException e) {
			throw new IllegalStateException("Cannot drop circle " + circleId + " from the index: " + e.getMessage(), e);
		}
	}

	public synchronized int size() {
		try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM message")) {
			return r.next() ? r.getInt(1) : 0;
		} catch (SQLException e) {
			throw new IllegalStateException(e.getMessage(), e);
		}
	}

	/**
	 * Messages matching every word typed (prefixes match: "caf" finds "café"), best first, at most {@code limit}.
	 * A query without any word finds nothing.
	 */
	public synchronized List<Hit> search(String query, int limit) {
		String match = ftsQuery(query);
		List<Hit> hits = new ArrayList<>();
		if (match.isEmpty()) {
			return hits;
		}
		String sql = "SELECT circle_id, channel_id, msg_id, author_node_id, author_name, created_ts, "
				+ "snippet(text_index, 0, '[', ']', '\u2026', 12) FROM text_index WHERE text_index MATCH ? "
				+ "ORDER BY rank, created_ts DESC LIMIT ?";
		try (PreparedStatement s = db.prepareStatement(sql)) {
			s.setString(1, match);
			s.setInt(2, limit);
			try (ResultSet r = s.executeQuery()) {
				while (r.next()) {
					hits.add(new Hit(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
							r.getLong(6), r.getString(7)));
				}
			}
			return hits;
		} catch (SQLException e) {
			throw new IllegalStateException("Search failed: " + e.getMessage(), e);
		}
	}

	/**
	 * What the user typed as an FTS5 query: punctuation (FTS5's own syntax among it) separates words, each word
	 * is quoted (so AND, OR, NOT and NEAR are plain words) and matched as a prefix, all words required.
	 */
	static String ftsQuery(String typed) {
		StringBuilder out = new StringBuilder();
		for (String word : fold(typed).strip().split("\\s+")) {
			String w = word.replaceAll("[\\p{Punct}&&[^_]]", " ").strip();
			for (String part : w.split("\\s+")) {
				if (part.isEmpty()) {
					continue;
				}
				if (out.length() > 0) {
					out.append(' ');
				}
				out.append('"').append(part).append("\"*");
			}
		}
		return out.toString();
	}

	/** Letters with their marks taken off (é → e), as SQLite's unicode61 tokenizer does. */
	static String foldMarks(String text) {
		return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKD).replaceAll("\\p{M}+", "")
				.toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * Text as people type it without their keyboard's special letters: marks taken off, and the letters that are
	 * not a base letter with a mark written as the letters they are typed with (ł → l, ø → o, ß → ss, æ → ae).
	 */
	public static String fold(String text) {
		String marksOff = foldMarks(text);
		StringBuilder out = new StringBuilder(marksOff.length());
		for (int i = 0; i < marksOff.length(); i++) {
			char c = marksOff.charAt(i);
			out.append(switch (c) {
			case '\u0142' -> "l"; // ł
			case '\u0111', '\u00f0' -> "d"; // đ ð
			case '\u00f8' -> "o"; // ø
			case '\u0127' -> "h"; // ħ
			case '\u0167' -> "t"; // ŧ
			case '\u0131' -> "i"; // dotless ı
			case '\u00df' -> "ss"; // ß
			case '\u00e6' -> "ae"; // æ
			case '\u0153' -> "oe"; // œ
			case '\u00fe' -> "th"; // þ
			case '\u0138' -> "k"; // ĸ
			case '\u014b' -> "n"; // ŋ
			default -> String.valueOf(c);
			});
		}
		return out.toString();
	}

	private void rollback() {
		try {
			db.rollback();
		} catch (SQLException ignored) {
			// the original failure is what matters
		}
	}

	private void autoCommit() {
		try {
			db.setAutoCommit(true);
		} catch (SQLException ignored) {
			// the connection is unusable anyway; the next call reports it
		}
	}

	@Override
	public synchronized void close() {
		try {
			db.close();
		} catch (SQLException e) {
			// nothing is lost: the index lives only in memory
		}
	}
}
