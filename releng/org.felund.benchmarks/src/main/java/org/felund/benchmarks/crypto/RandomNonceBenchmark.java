package org.felund.benchmarks.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The price of a 12-byte GCM nonce from the JDK's default SecureRandom and from its DRBG. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RandomNonceBenchmark {
	private SecureRandom platformDefault;
	private SecureRandom drbg;

	@Setup
	public void setUp() throws NoSuchAlgorithmException {
		platformDefault = new SecureRandom();
		drbg = SecureRandom.getInstance("DRBG");
	}

	@Benchmark
	public byte[] defaultSecureRandom() {
		byte[] nonce = new byte[12];
		platformDefault.nextBytes(nonce);
		return nonce;
	}

	@Benchmark
	public byte[] drbgSecureRandom() {
		byte[] nonce = new byte[12];
		drbg.nextBytes(nonce);
		return nonce;
	}
}
