package org.felund.benchmarks.relay;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time spent by the relay's own threads ({@code felund-relay-*}) between two points. On a shared machine the
 * wall-clock scores depend on what else runs; CPU time per request (or per fan-out) does not, and tells what one
 * core can carry.
 */
final class RelayCpu {
	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
	private Map<Long, Long> start = new HashMap<>();

	void mark() {
		start = snapshot();
	}

	/** Relay CPU nanoseconds since {@link #mark()}. */
	long elapsedNanos() {
		long total = 0;
		for (Map.Entry<Long, Long> e : snapshot().entrySet()) {
			total += e.getValue() - start.getOrDefault(e.getKey(), 0L);
		}
		return total;
	}

	private static Map<Long, Long> snapshot() {
		Map<Long, Long> cpu = new HashMap<>();
		for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
			if (info != null && info.getThreadName().startsWith("felund-relay")) {
				long t = THREADS.getThreadCpuTime(info.getThreadId());
				if (t >= 0) {
					cpu.put(info.getThreadId(), t);
				}
			}
		}
		return cpu;
	}
}
