package org.felund.benchmarks.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.felund.api.model.ChatMessage;
import org.felund.api.store.SyncKey;
import org.felund.store.sqlite.SqliteNodeStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reading a page of 50 messages of one channel from a home holding 100,000 (half of them in that channel): the
 * newest page (what a chat view shows first) and a page from the middle of the history (scrolling back). Each
 * call runs the SQL and decodes 50 rows into {@link ChatMessage}s (envelope still encrypted).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreReadBenchmark {
	@Param({ "100000" })
	public int stored;

	private Path home;
	private SqliteNodeStore store;
	private SyncKey middle;

	@Setup(Level.Trial)
	public void open() throws IOException {
		home = Files.createTempDirectory("felund-store-bench");
		store = SqliteNodeStore.open(home, null);
		StoreBenchmarkSamples.fill(store, stored);
		middle = store.messages().keys(StoreBenchmarkSamples.CIRCLE, null, null, stored / 2).getLast();
	}

	@TearDown(Level.Trial)
	public void close() throws IOException {
		store.close();
		StoreBenchmarkSamples.deleteTree(home);
	}

	@Benchmark
	public List<ChatMessage> lastFiftyOfChannel() {
		return store.messages().history(StoreBenchmarkSamples.CIRCLE, "general", null, 50);
	}

	@Benchmark
	public List<ChatMessage> fiftyFromTheMiddleOfChannel() {
		return store.messages().history(StoreBenchmarkSamples.CIRCLE, "general", middle, 50);
	}
}
