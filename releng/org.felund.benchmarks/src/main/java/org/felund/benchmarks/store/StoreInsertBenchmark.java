package org.felund.benchmarks.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.felund.api.model.ChatMessage;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.store.sqlite.StoreOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Storing new messages in a home that already holds 100,000: one {@code put} (its own transaction, as for a
 * message the user sends) and a {@code putAll} of 100 (one transaction, as for a sync batch), at both durability
 * levels: {@code normal} (the default; survives kill -9) and {@code full} (one fsync per commit;
 * survives power loss). New messages go to a second circle that is emptied after every iteration, so the home
 * stays at 100,000 messages plus at most one iteration's inserts. The database lives under java.io.tmpdir.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreInsertBenchmark {
	private static final String NEW_CIRCLE = "0123456789abcdef01234567";
	private static final int BATCH = 100;

	@Param({ "100000" })
	public int stored;

	@Param({ "normal", "full" })
	public String durability;

	private Path home;
	private SqliteNodeStore store;
	private final SplittableRandom random = new SplittableRandom(7);
	private long next;

	@Setup(Level.Trial)
	public void open() throws IOException {
		home = Files.createTempDirectory("felund-store-bench");
		store = SqliteNodeStore.open(home, null,
				StoreOptions.DEFAULT.withDurability(StoreOptions.Durability.parse(durability)));
		StoreBenchmarkSamples.fill(store, stored);
		next = stored;
	}

	@TearDown(Level.Iteration)
	public void forgetInserted() {
		store.messages().deleteCircle(NEW_CIRCLE);
	}

	@TearDown(Level.Trial)
	public void close() throws IOException {
		store.close();
		StoreBenchmarkSamples.deleteTree(home);
	}

	@Benchmark
	public boolean insertOne() {
		long n = next++;
		return store.messages().put(StoreBenchmarkSamples.message(random, NEW_CIRCLE, "general", n,
				StoreBenchmarkSamples.FIRST_TS + n));
	}

	/** A sync batch: 100 received messages in one {@code putAll} transaction; the score is per message. */
	@Benchmark
	@OperationsPerInvocation(BATCH)
	public List<ChatMessage> insertBatchOf100PerMessage() {
		List<ChatMessage> batch = new ArrayList<>(BATCH);
		for (int i = 0; i < BATCH; i++) {
			long n = next++;
			batch.add(StoreBenchmarkSamples.message(random, NEW_CIRCLE, "general", n, StoreBenchmarkSamples.FIRST_TS + n));
		}
		return store.messages().putAll(batch);
	}
}
