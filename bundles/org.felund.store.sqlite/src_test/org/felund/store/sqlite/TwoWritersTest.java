package org.felund.store.sqlite;

import static org.felund.store.sqlite.Fixtures.CIRCLE;
import static org.felund.store.sqlite.Fixtures.circleIdOf;
import static org.felund.store.sqlite.Fixtures.id;
import static org.felund.store.sqlite.Fixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.api.store.MessageStore.StoredMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two store instances on one home, each with its own connections, behave like two processes (a running node
 * and a CLI {@code send}): SQLite's file locks coordinate them.
 */
class TwoWritersTest {
	private static final int PER_WRITER = 300;

	@TempDir
	Path home;

	@Test
	void twoInstancesOpeningANewHomeAtOnceShareOneKey() throws Exception {
		CyclicBarrier start = new CyclicBarrier(2);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Callable<SqliteNodeStore> opener = () -> {
				start.await(5, TimeUnit.SECONDS);
				return Fixtures.open(home);
			};
			Future<SqliteNodeStore> a = pool.submit(opener);
			Future<SqliteNodeStore> b = pool.submit(opener);
			try (SqliteNodeStore first = a.get(30, TimeUnit.SECONDS);
					SqliteNodeStore second = b.get(30, TimeUnit.SECONDS)) {
				CircleSecret secret = Fixtures.randomSecret();
				first.secrets().put(circleIdOf(secret), secret);
				assertEquals(secret, second.secrets().get(circleIdOf(secret)).orElseThrow(),
						"both instances use the same master key");
				assertEquals(List.of("ok"), second.integrityCheck());
			}
		} finally {
			pool.shutdownNow();
		}
	}

	@Test
	void concurrentWritersLoseNothingAndSeeEachOthersRows() throws Exception {
		try (SqliteNodeStore node = Fixtures.open(home); SqliteNodeStore cli = Fixtures.open(home)) {
			long cursor = node.messages().lastSeq();
			CyclicBarrier start = new CyclicBarrier(2);
			ExecutorService pool = Executors.newFixedThreadPool(2);
			try {
				// Both write the ids 200..299 too: exactly one copy of each must win.
				Future<Integer> a = pool.submit(writer(node, 0, start));
				Future<Integer> b = pool.submit(writer(cli, 200, start));
				int added = a.get(60, TimeUnit.SECONDS) + b.get(60, TimeUnit.SECONDS);
				assertEquals(500, added, "each id was new to exactly one writer");
			} finally {
				pool.shutdownNow();
			}
			assertEquals(500, node.messages().count(CIRCLE, null, null));
			assertEquals(500, cli.messages().count(CIRCLE, null, null));

			// The running node notices the CLI's rows through the change feed.
			Set<String> seen = new HashSet<>();
			long last = cursor;
			while (true) {
				List<StoredMessage> page = node.messages().since(CIRCLE, last, 64);
				if (page.isEmpty()) {
					break;
				}
				page.forEach(s -> seen.add(s.message().msgId()));
				last = page.get(page.size() - 1).seq();
			}
			assertEquals(500, seen.size());
			// an insert that lost the race still used up a sequence number, so the cursor may be ahead
			assertTrue(last <= cli.messages().lastSeq());
			assertEquals(List.of(), node.messages().since(CIRCLE, cli.messages().lastSeq(), 10));
			assertEquals(List.of("ok"), node.integrityCheck());
		}
	}

	private static Callable<Integer> writer(SqliteNodeStore store, int firstId, CyclicBarrier start) {
		return () -> {
			start.await(5, TimeUnit.SECONDS);
			int added = 0;
			List<ChatMessage> batch = new ArrayList<>();
			for (int i = firstId; i < firstId + PER_WRITER; i++) {
				ChatMessage m = message(CIRCLE, "general", id(i), 1_000 + i);
				if (i % 3 == 0) {
					batch.add(m); // a mix of single puts and small transactions
					if (batch.size() == 10) {
						added += store.messages().putAll(batch).size();
						batch.clear();
					}
				} else if (store.messages().put(m)) {
					added++;
				}
			}
			added += store.messages().putAll(batch).size();
			return added;
		};
	}
}
