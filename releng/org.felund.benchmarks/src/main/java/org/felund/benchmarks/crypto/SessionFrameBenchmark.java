package org.felund.benchmarks.crypto;

import java.util.concurrent.TimeUnit;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.SessionCipher;
import org.felund.crypto.JcaCryptoService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encrypted gossip lines: seal (nonce, AES-GCM, base64) and open (strip, base64, AES-GCM). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SessionFrameBenchmark {
	/** Frame JSON bytes; 24545 is the largest frame the reference writes on an encrypted line. */
	@Param({ "128", "4096", "24545" })
	public int frameBytes;

	private SessionCipher cipher;
	private byte[] frame;
	private String line;

	@Setup
	public void setUp() throws CryptoException {
		JcaCryptoService crypto = new JcaCryptoService();
		CircleCrypto circle = crypto.forCircle(crypto.newSecret());
		cipher = circle.session(crypto.randomHex(16), crypto.randomHex(16));
		frame = CryptoSamples.frame(frameBytes);
		line = cipher.seal(frame);
	}

	@Benchmark
	public String sessionSeal() {
		return cipher.seal(frame);
	}

	@Benchmark
	public byte[] sessionOpen() throws CryptoException {
		return cipher.open(line);
	}
}
