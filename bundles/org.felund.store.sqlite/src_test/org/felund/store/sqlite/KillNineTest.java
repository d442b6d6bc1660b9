package org.felund.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9}: a child JVM stores messages and acknowledges each on stdout; it is killed mid-stream.
 * Every acknowledged message must be there afterwards and the file must be sound. Run for both durability
 * levels: {@code normal} is the weaker one, and even it must survive a process kill.
 */
class KillNineTest {
	private static final int ACKS_BEFORE_KILL = 1_000;
	private static final long MAX_RUN_MS = 1_000;
	/** The kill must land mid-stream, however slowly a loaded disk syncs: at least this many first. */
	private static final int MIN_ACKS = 51;

	@TempDir
	Path home;

	@ParameterizedTest
	@ValueSource(strings = { "full", "normal" })
	void everyAcknowledgedMessageSurvivesKillNine(String durability) throws Exception {
		String java = ProcessHandle.current().info().command().orElseThrow();
		Path stderr = home.resolveSibling(home.getFileName() + "-child-stderr.txt");
		Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
				System.getProperty("java.class.path"), KillNineWriter.class.getName(), home.toString(), durability)
				.redirectError(stderr.toFile()).start();

		List<String> acked = new ArrayList<>();
		CountDownLatch ready = new CountDownLatch(1);
		CountDownLatch some = new CountDownLatch(1);
		CountDownLatch enough = new CountDownLatch(1);
		AtomicInteger count = new AtomicInteger();
		AtomicReference<Exception> readFailure = new AtomicReference<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
				// Read to the end: the acknowledgements the child wrote before it died are still in the pipe.
				for (String line; (line = in.readLine()) != null;) {
					if (line.equals("ready")) {
						ready.countDown();
					} else if (line.length() == 32) { // a line cut short by the kill is not an acknowledgement
						synchronized (acked) {
							acked.add(line);
						}
						int n = count.incrementAndGet();
						if (n >= MIN_ACKS) {
							some.countDown();
						}
						if (n >= ACKS_BEFORE_KILL) {
							enough.countDown();
						}
					}
				}
			} catch (Exception e) {
				readFailure.set(e); // not expected: a dead writer is an end of stream, not an error
			}
		}, "kill-nine-reader");
		reader.start();
		try {
			assertTrue(ready.await(30, TimeUnit.SECONDS), "child did not start: " + readQuietly(stderr));
			// With synchronous=full on a busy machine one fsync can take a second: wait for MIN_ACKS without a
			// tight bound, then kill at ACKS_BEFORE_KILL or MAX_RUN_MS later, whichever comes first.
			some.await(60, TimeUnit.SECONDS);
			enough.await(MAX_RUN_MS, TimeUnit.MILLISECONDS);
		} finally {
			// SIGKILL on Unix: no shutdown hooks, no close(). Through the process handle, which only signals:
			// Process.destroyForcibly() also closes our end of the child's stdout, and the acknowledgements still
			// in the pipe were lost (read failed with "Stream closed", silently). On a loaded machine the reader
			// lags behind the child by many lines, so the store then held "more than acknowledged + 1".
			child.toHandle().destroyForcibly();
			child.waitFor(30, TimeUnit.SECONDS);
			reader.join(TimeUnit.SECONDS.toMillis(120));
		}
		assertFalse(reader.isAlive(), "the acknowledgements were not all read within 120 s");
		assertEquals(null, readFailure.get(), "reading the acknowledgements failed");
		assertFalse(child.isAlive());
		assertEquals(137, child.exitValue(), "killed by SIGKILL");

		List<String> ids;
		synchronized (acked) {
			ids = List.copyOf(acked);
		}
		assertTrue(ids.size() >= MIN_ACKS, "the child acknowledged only " + ids.size() + " messages: " + readQuietly(stderr));
		try (SqliteNodeStore store = SqliteNodeStore.open(home, null)) {
			assertEquals(List.of("ok"), store.integrityCheck());
			Set<String> stored = new HashSet<>(store.messages().messageIds(Fixtures.CIRCLE));
			List<String> missing = ids.stream().filter(id -> !stored.contains(id)).toList();
			assertEquals(List.of(), missing, "acknowledged but lost");
			assertTrue(stored.size() >= ids.size());
			assertTrue(stored.size() <= ids.size() + 1, "at most the one in flight when killed is extra");
			System.out.printf("kill -9 with synchronous=%s: %d acknowledged, %d stored, integrity ok%n", durability,
					ids.size(), stored.size());
		}
	}

	private static String readQuietly(Path file) {
		try {
			return Files.readString(file);
		} catch (Exception e) {
			return "(no stderr)";
		}
	}
}
