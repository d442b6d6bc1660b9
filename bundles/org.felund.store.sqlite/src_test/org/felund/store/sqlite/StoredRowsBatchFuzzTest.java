package org.felund.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Envelope;
import org.felund.api.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of stored rows at a million inputs (issue 14, fault campaign), cheap enough to run: damaged rows are
 * written in batches of {@value #BATCH} per transaction through a plain JDBC connection (as another tool or a damaged
 * writer would), and each is then read back through the store's own API. One input is one damaged (or, as a control,
 * intact) row. What must hold for every input:
 * <ul>
 * <li>the store returns the row, or refuses it with a {@link StoreException} that says why; nothing else escapes;</li>
 * <li>what the store returns is exactly what the row holds (no value silently cut, truncated or altered);</li>
 * <li>a sealed value opens only if it is the genuine one sealed for that row, and then to its value (0 accepted
 * forgeries: damaged, truncated, moved from another row);</li>
 * <li>the rows nobody damaged still read.</li>
 * </ul>
 * Input {@code i} is derived from {@code SEED} and {@code i} alone, so a failure names the input that reproduces it.
 * Inputs per test: {@code felund.fuzz.tries} (1,000 in the build; the benchmark run sets 1,000,000, see
 * docs/reliability.md).
 */
class StoredRowsBatchFuzzTest {
	static final long SEED = 20261250L;
	static final int BATCH = 500;
	static final String[] TEXT_COLUMNS = { "circle_id", "msg_id", "channel_id", "author_node_id", "mac", "enc_alg",
			"enc_key_id", "enc_nonce", "enc_ciphertext" };
	static final String[] INT_COLUMNS = { "created_ts", "schema_version" };
	static final String COLUMNS = "circle_id, msg_id, channel_id, author_node_id, created_ts, mac, schema_version,"
			+ " enc_alg, enc_key_id, enc_nonce, enc_ciphertext";

	Path home;
	SqliteNodeStore store;
	Connection raw;
	String circleId;
	ChatMessage intact;
	long intactSeq;
	final Counts counts = new Counts();

	static int inputs() {
		return Integer.getInteger("felund.fuzz.tries", 1000);
	}

	/** The first input to run (to reproduce a failure reported at input {@code i}: start there). */
	static int firstInput() {
		return Integer.getInteger("felund.fuzz.first", 0);
	}

	@BeforeEach
	void open() throws Exception {
		// On a RAM file system where there is one: the run fuzzes the reader, not the disk's fsync.
		Path shm = Path.of("/dev/shm");
		home = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "felund-rows-batch")
				: Files.createTempDirectory("felund-rows-batch");
		store = SqliteNodeStore.open(home, null);
		circleId = Fixtures.circleIdOf(Fixtures.randomSecret());
		store.state().putCircle(new Circle(circleId, "e03c84dccc271635", "Friends", 100, "127.0.0.1:9000"));
		intact = Fixtures.message(circleId, ChatMessage.GENERAL, Fixtures.id(1), 1_700_000_000L);
		store.messages().putAll(List.of(intact));
		raw = Fixtures.rawConnection(home);
		intactSeq = store.messages().lastSeq();
	}

	@AfterEach
	void close() throws Exception {
		raw.close();
		store.close();
		try (var files = Files.walk(home)) {
			files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
	}

	// ------------------------------------------------------------------ message rows

	/** A row as written: the eleven columns of {@link #COLUMNS}, text or long. */
	record Row(Object[] values) {
		String text(int i) {
			return (String) values[i];
		}

		long number(int i) {
			return (Long) values[i];
		}
	}

	static String garbage(Random rnd) {
		String[] seeds = { "", " ", "general", "__control", "\u202e", "\ud800", "\u0000", "AES-256-GCM", "epoch-0",
				"AAAAAAAAAAAAAAAA", "not base64!", "=", "AA==", "AAA=", "A", "0".repeat(300),
				"5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f", "x".repeat(70_000), "%s%n", "' OR 1=1 --", "\r\n" };
		switch (rnd.nextInt(4)) {
		case 0: {
			StringBuilder s = new StringBuilder();
			for (int i = rnd.nextInt(40); i > 0; i--) {
				s.append((char) rnd.nextInt(0x3000));
			}
			return s.toString();
		}
		case 1: {
			// Any code point, surrogates and non-characters included.
			StringBuilder s = new StringBuilder();
			for (int i = rnd.nextInt(12); i > 0; i--) {
				s.append((char) rnd.nextInt(0x10000));
			}
			return s.toString();
		}
		default:
			return seeds[rnd.nextInt(seeds.length)];
		}
	}

	static long garbageNumber(Random rnd) {
		long[] seeds = { 0, -1, 1, 2, 3, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE,
				Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE, 4_294_967_298L };
		return rnd.nextBoolean() ? seeds[rnd.nextInt(seeds.length)] : rnd.nextLong();
	}

	/** Input {@code i}: a genuine row of the circle with 0 (one input in ten, the control) to 3 damaged columns. */
	Row messageInput(int i) {
		Random rnd = input(SEED, i);
		ChatMessage m = Fixtures.message(circleId, rnd.nextInt(8) == 0 ? ChatMessage.CONTROL : ChatMessage.GENERAL,
				Fixtures.id(1_000_000L + i), 1_700_000_001L + rnd.nextInt(1000));
		Object[] v = { m.circleId(), m.msgId(), m.channelId(), m.authorNodeId(), m.createdTs(), m.mac(),
				(long) m.schemaVersion(), m.enc().alg(), m.enc().keyId(), m.enc().nonce(), m.enc().ciphertext() };
		int damaged = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(3);
		for (int d = 0; d < damaged; d++) {
			if (rnd.nextInt(4) != 0) {
				String column = TEXT_COLUMNS[rnd.nextInt(TEXT_COLUMNS.length)];
				v[index(column)] = garbage(rnd);
			} else {
				String column = INT_COLUMNS[rnd.nextInt(INT_COLUMNS.length)];
				v[index(column)] = garbageNumber(rnd);
			}
		}
		return new Row(v);
	}

	/**
	 * Input {@code i}'s own generator. The seed is mixed first: java.util.Random's first draws of adjacent seeds are
	 * nearly equal, which would make adjacent inputs alike.
	 */
	static Random input(long seed, int i) {
		return new Random(new SplittableRandom(seed + i).nextLong());
	}

	static int index(String column) {
		List<String> names = Arrays.stream(COLUMNS.split(",")).map(String::trim).toList();
		return names.indexOf(column);
	}

	@Test
	void everyDamagedMessageRowReadsAsItIsStoredOrIsRefusedWithAStoreException() throws Exception {
		int first = firstInput();
		int end = first + inputs();
		long started = System.nanoTime();
		for (int batchStart = first; batchStart < end; batchStart += BATCH) {
			int batchEnd = Math.min(end, batchStart + BATCH);
			List<Integer> written = new ArrayList<>();
			List<Row> rows = new ArrayList<>();
			raw.setAutoCommit(false);
			try (PreparedStatement ps = raw.prepareStatement("INSERT INTO messages(" + COLUMNS
					+ ") VALUES(?,?,?,?,?,?,?,?,?,?,?)")) {
				for (int i = batchStart; i < batchEnd; i++) {
					Row row = messageInput(i);
					for (int c = 0; c < row.values.length; c++) {
						if (row.values[c] instanceof Long n) {
							ps.setLong(c + 1, n);
						} else {
							ps.setString(c + 1, (String) row.values[c]);
						}
					}
					try {
						ps.executeUpdate();
						written.add(i);
						rows.add(row);
					} catch (SQLException e) {
						// The schema refused the row (a duplicate key): nothing damaged reaches the store.
						counts.refusedBySchema++;
					}
				}
			}
			raw.commit();
			raw.setAutoCommit(true);
			// What the rows hold is what the database kept, read back as another tool would: the driver writes a
			// string with a lone surrogate as UTF-8 with '?' in its place, for instance.
			rows = storedRows();
			assertEquals(written.size(), rows.size());
			for (int k = 0; k < rows.size(); k++) {
				int input = written.get(k);
				Row row = rows.get(k);
				Optional<ChatMessage> read = readOrRefuse(input, () -> store.messages().get(row.text(0), row.text(1)));
				if (read == null) {
					continue;
				}
				assertTrue(read.isPresent(), "input " + input + ": a stored row is found by its own key");
				assertReadsAsStored(input, row, read.get());
				counts.read++;
			}
			// The listings over the whole batch: rows, or a refusal naming the first damaged row.
			listings(batchStart);
			try (PreparedStatement ps = raw.prepareStatement("DELETE FROM messages WHERE seq>?")) {
				ps.setLong(1, intactSeq);
				ps.executeUpdate();
			}
			assertEquals(intact, store.messages().get(circleId, intact.msgId()).orElseThrow(),
					"an intact row still reads (after input " + (batchEnd - 1) + ")");
		}
		counts.report("message rows", inputs(), System.nanoTime() - started);
		assertEquals(inputs(), counts.read + counts.refused + counts.refusedBySchema);
	}

	/** The fuzzed rows as the database holds them, in the order they were written. */
	private List<Row> storedRows() throws SQLException {
		List<Row> out = new ArrayList<>();
		try (PreparedStatement ps = raw.prepareStatement("SELECT " + COLUMNS + " FROM messages WHERE seq>?"
				+ " ORDER BY seq")) {
			ps.setLong(1, intactSeq);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					Object[] v = new Object[11];
					for (int c = 0; c < v.length; c++) {
						v[c] = c == 4 || c == 6 ? (Object) rs.getLong(c + 1) : rs.getString(c + 1);
					}
					out.add(new Row(v));
				}
			}
		}
		return out;
	}

	private void listings(int batchStart) {
		List<Supplier<Object>> reads = List.of(() -> store.messages().history(circleId, ChatMessage.GENERAL, null, 600),
				() -> store.messages().recent(circleId, true, 600), () -> store.messages().keys(circleId, null, null, 600),
				() -> store.messages().since(circleId, 0, 600), () -> store.messages().messageIds(circleId),
				() -> store.messages().count(circleId, null, null));
		for (Supplier<Object> read : reads) {
			try {
				read.get();
				counts.listingsRead++;
			} catch (StoreException e) {
				assertClearRefusal(batchStart, e);
				counts.listingsRefused++;
			} catch (RuntimeException e) {
				throw new AssertionError("batch from input " + batchStart + ": a listing threw " + e, e);
			}
		}
	}

	/** The store's answer, or {@code null} when it refused with a clear {@link StoreException}. */
	private <T> T readOrRefuse(int input, Supplier<T> read) {
		try {
			return read.get();
		} catch (StoreException e) {
			assertClearRefusal(input, e);
			counts.refused++;
			return null;
		} catch (RuntimeException e) {
			throw new AssertionError("input " + input + " (reproduce with -Dfelund.fuzz.first=" + input
					+ " -Dfelund.fuzz.tries=1): the store threw " + e, e);
		}
	}

	private static void assertClearRefusal(int input, StoreException e) {
		assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "input " + input + ": a refusal says why");
	}

	private static void assertReadsAsStored(int input, Row row, ChatMessage m) {
		String where = "input " + input + " (reproduce with -Dfelund.fuzz.first=" + input + " -Dfelund.fuzz.tries=1)";
		assertEquals(row.text(0), m.circleId(), where);
		assertEquals(row.text(1), m.msgId(), where);
		assertEquals(row.text(2), m.channelId(), where);
		assertEquals(row.text(3), m.authorNodeId(), where);
		assertEquals(row.number(4), m.createdTs(), where);
		assertEquals(row.text(5), m.mac(), where);
		assertEquals(row.number(6), (long) m.schemaVersion(), where + ": schema_version read as it is stored");
		Envelope enc = m.enc();
		assertEquals(row.text(7), enc.alg(), where);
		assertEquals(row.text(8), enc.keyId(), where);
		assertEquals(row.text(9), enc.nonce(), where);
		assertEquals(row.text(10), enc.ciphertext(), where);
		assertEquals("", m.text(), where + ": the store holds no plaintext");
	}

	// ------------------------------------------------------------------ sealed values

	static final int ROWS_PER_KIND = BATCH / 4;
	static final String[] KINDS = { "setting", "display name", "circle name", "channel key hash" };

	/** The genuine sealed bytes of every fuzzed row, by kind and row. */
	byte[][][] genuine;
	String[][] values;

	private void sealGenuineRows() throws SQLException {
		genuine = new byte[KINDS.length][ROWS_PER_KIND][];
		values = new String[KINDS.length][ROWS_PER_KIND];
		for (int r = 0; r < ROWS_PER_KIND; r++) {
			values[0][r] = "value " + r;
			store.state().putSetting("fuzz-" + r, values[0][r]);
			values[1][r] = "name ✓ " + r;
			store.state().setDisplayName(circleId, node(r), values[1][r]);
			values[2][r] = "circle " + r;
			store.state().putCircle(new Circle(circle(r), "e03c84dccc2716" + String.format("%02x", r % 256),
					values[2][r], 200 + r, "127.0.0.1:9000"));
			values[3][r] = String.format("%064x", r);
			store.state().putChannel(new Channel(circleId, "ch-" + r, AccessMode.KEY, node(r), 300 + r, values[3][r],
					Set.of(), Set.of()));
		}
		for (int kind = 0; kind < KINDS.length; kind++) {
			for (int r = 0; r < ROWS_PER_KIND; r++) {
				try (PreparedStatement ps = raw.prepareStatement(select(kind))) {
					bindRow(ps, kind, r);
					try (ResultSet rs = ps.executeQuery()) {
						assertTrue(rs.next());
						genuine[kind][r] = rs.getBytes(1);
					}
				}
			}
		}
	}

	static String node(int r) {
		return String.format("%024x", 0xabc000L + r);
	}

	static String circle(int r) {
		return String.format("%024x", 0xc1c000L + r);
	}

	static String select(int kind) {
		return switch (kind) {
		case 0 -> "SELECT value_sealed FROM settings WHERE key=?";
		case 1 -> "SELECT name_sealed FROM display_names WHERE circle_id=? AND node_id=?";
		case 2 -> "SELECT name_sealed FROM circles WHERE circle_id=?";
		default -> "SELECT key_hash_sealed FROM channels WHERE circle_id=? AND channel_id=?";
		};
	}

	static String update(int kind) {
		return switch (kind) {
		case 0 -> "UPDATE settings SET value_sealed=? WHERE key=?";
		case 1 -> "UPDATE display_names SET name_sealed=? WHERE circle_id=? AND node_id=?";
		case 2 -> "UPDATE circles SET name_sealed=? WHERE circle_id=?";
		default -> "UPDATE channels SET key_hash_sealed=? WHERE circle_id=? AND channel_id=?";
		};
	}

	/** Binds the row's key from parameter {@code from} on (1 for a SELECT, 2 for an UPDATE). */
	private void bindRow(PreparedStatement ps, int kind, int r, int from) throws SQLException {
		switch (kind) {
		case 0 -> ps.setString(from, "fuzz-" + r);
		case 1 -> {
			ps.setString(from, circleId);
			ps.setString(from + 1, node(r));
		}
		case 2 -> ps.setString(from, circle(r));
		default -> {
			ps.setString(from, circleId);
			ps.setString(from + 1, "ch-" + r);
		}
		}
	}

	private void bindRow(PreparedStatement ps, int kind, int r) throws SQLException {
		bindRow(ps, kind, r, 1);
	}

	private Optional<String> readSealed(int kind, int r) {
		return switch (kind) {
		case 0 -> store.state().setting("fuzz-" + r);
		case 1 -> store.state().displayName(circleId, node(r));
		case 2 -> store.state().circle(circle(r)).map(Circle::name);
		default -> store.state().channel(circleId, "ch-" + r).map(Channel::keyHash);
		};
	}

	/** Input {@code i}'s bytes for row {@code r} of its kind: the genuine value (one in ten) or a forgery. */
	byte[] sealedInput(int i, int kind, int r) {
		Random rnd = input(SEED ^ 0x5ea1ed00L, i);
		byte[] own = genuine[kind][r];
		switch (rnd.nextInt(10)) {
		case 0:
			return own.clone();
		case 1: { // bit flips anywhere: format byte, nonce, ciphertext, tag
			byte[] b = own.clone();
			for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
				b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
			}
			return b;
		}
		case 2:
			return Arrays.copyOf(own, rnd.nextInt(own.length));
		case 3: {
			byte[] b = Arrays.copyOf(own, own.length + 1 + rnd.nextInt(40));
			for (int k = own.length; k < b.length; k++) {
				b[k] = (byte) rnd.nextInt();
			}
			return b;
		}
		case 4: // a genuine value of another row of the same kind (the AAD binds it to its row)
			return genuine[kind][(r + 1 + rnd.nextInt(ROWS_PER_KIND - 1)) % ROWS_PER_KIND].clone();
		case 5: // a genuine value of another kind
			return genuine[(kind + 1 + rnd.nextInt(KINDS.length - 1)) % KINDS.length][rnd.nextInt(ROWS_PER_KIND)].clone();
		case 6:
			return new byte[0];
		default: {
			byte[] b = new byte[rnd.nextInt(80)];
			rnd.nextBytes(b);
			if (b.length > 0 && rnd.nextBoolean()) {
				b[0] = 1; // the format byte right, the rest random
			}
			return b;
		}
		}
	}

	@Test
	void aSealedValueOpensOnlyIfItIsTheGenuineOneOfItsRow() throws Exception {
		sealGenuineRows();
		int first = firstInput();
		int end = first + inputs();
		long started = System.nanoTime();
		for (int batchStart = first; batchStart < end; batchStart += BATCH) {
			int batchEnd = Math.min(end, batchStart + BATCH);
			byte[][] written = new byte[batchEnd - batchStart][];
			raw.setAutoCommit(false);
			for (int i = batchStart; i < batchEnd; i++) {
				int slot = i - batchStart;
				int kind = slot % KINDS.length;
				int r = slot / KINDS.length;
				written[slot] = sealedInput(i, kind, r);
				try (PreparedStatement ps = raw.prepareStatement(update(kind))) {
					ps.setBytes(1, written[slot]);
					bindRow(ps, kind, r, 2);
					assertEquals(1, ps.executeUpdate());
				}
			}
			raw.commit();
			raw.setAutoCommit(true);
			for (int i = batchStart; i < batchEnd; i++) {
				int slot = i - batchStart;
				int kind = slot % KINDS.length;
				int r = slot / KINDS.length;
				Optional<String> read = readOrRefuse(i, () -> readSealed(kind, r));
				if (read == null) {
					if (Arrays.equals(written[slot], genuine[kind][r])) {
						throw new AssertionError("input " + i + ": the genuine " + KINDS[kind] + " of row " + r
								+ " was refused");
					}
					continue;
				}
				assertTrue(Arrays.equals(written[slot], genuine[kind][r]), "input " + i + " (reproduce with "
						+ "-Dfelund.fuzz.first=" + i + "): a forged " + KINDS[kind] + " was accepted as " + read);
				assertEquals(Optional.of(values[kind][r]), read, "input " + i);
				counts.read++;
			}
			// Whole listings read or are refused with a reason.
			for (Supplier<Object> listing : List.<Supplier<Object>>of(() -> store.state().circles(),
					() -> store.state().channels(circleId))) {
				try {
					listing.get();
					counts.listingsRead++;
				} catch (StoreException e) {
					assertClearRefusal(batchStart, e);
					counts.listingsRefused++;
				}
			}
			// Back to the genuine values for the next batch.
			raw.setAutoCommit(false);
			for (int kind = 0; kind < KINDS.length; kind++) {
				try (PreparedStatement ps = raw.prepareStatement(update(kind))) {
					for (int r = 0; r < ROWS_PER_KIND; r++) {
						ps.setBytes(1, genuine[kind][r]);
						bindRow(ps, kind, r, 2);
						ps.executeUpdate();
					}
				}
			}
			raw.commit();
			raw.setAutoCommit(true);
		}
		counts.report("sealed values", inputs(), System.nanoTime() - started);
		assertEquals(inputs(), counts.read + counts.refused);
		assertEquals("Friends", store.state().circle(circleId).orElseThrow().name(), "an intact row still reads");
	}

	static final class Counts {
		long read;
		long refused;
		long refusedBySchema;
		long listingsRead;
		long listingsRefused;

		void report(String what, int inputs, long nanos) {
			System.out.printf("stored rows fuzzing (%s): %,d inputs from %d in %.1f s: %,d read back exactly as stored, "
					+ "%,d refused with a StoreException, %,d refused by the schema; listings %,d read, %,d refused%n",
					what, inputs, firstInput(), nanos / 1e9, read, refused, refusedBySchema, listingsRead,
					listingsRefused);
		}
	}
}
