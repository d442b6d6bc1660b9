package org.felund.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds {@code cpu.ns/op}: CPU time the benchmark JVM consumed per operation in each measured iteration. On a shared
 * machine, wall-clock throughput drops whenever other processes take the cores; CPU time per operation does not,
 * so comparisons between benchmarks stay meaningful. It includes GC work (a real cost of allocation) and whatever
 * JIT work is still going on after warm-up. Use with {@code -prof org.felund.benchmarks.CpuTimeProfiler}.
 */
public class CpuTimeProfiler implements InternalProfiler {
	private final com.sun.management.OperatingSystemMXBean os =
			(com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
	private long startCpuNanos;

	@Override
	public String getDescription() {
		return "CPU time of the benchmark JVM per operation (robust to other load on the machine)";
	}

	@Override
	public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
		startCpuNanos = os.getProcessCpuTime();
	}

	@Override
	public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
			IterationParams iterationParams, IterationResult result) {
		long cpuNanos = os.getProcessCpuTime() - startCpuNanos;
		long ops = result.getMetadata().getMeasuredOps();
		if (ops <= 0) {
			return List.of();
		}
		return List.of(new ScalarResult("cpu.ns/op", (double) cpuNanos / ops, "ns/op", AggregationPolicy.AVG));
	}
}
