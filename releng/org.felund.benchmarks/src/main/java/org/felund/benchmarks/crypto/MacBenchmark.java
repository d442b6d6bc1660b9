package org.felund.benchmarks.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.crypto.JcaCryptoService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * HMAC-based checks: the legacy message MAC, the gossip handshake token and relay request signing, next to plain
 * JCA HMAC-SHA256 of the same legacy-MAC payload with a fresh and with a reused {@link Mac}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MacBenchmark {
	private CircleCrypto circle;
	private ChatMessage message;
	private byte[] secret;
	private byte[] macPayload;
	private Mac reusedMac;
	private String nodeId;
	private String serverNonce;
	private String token;
	private byte[] relayBody;

	@Setup
	public void setUp() throws GeneralSecurityException {
		JcaCryptoService crypto = new JcaCryptoService();
		CircleSecret circleSecret = crypto.newSecret();
		secret = circleSecret.bytes();
		circle = crypto.forCircle(circleSecret);
		nodeId = crypto.newNodeId();
		ChatMessage unsigned = new ChatMessage(crypto.randomHex(16), circle.circleId(), "general", nodeId,
				1767225600L, "alice", CryptoSamples.chatText(64), "", 1, null);
		message = unsigned.withMac(circle.legacyMac(unsigned));
		macPayload = String.join("|", message.msgId(), message.circleId(), message.channelId(),
				message.authorNodeId(), message.displayName(), Long.toString(message.createdTs()), message.text())
				.getBytes(StandardCharsets.UTF_8);
		reusedMac = Mac.getInstance("HmacSHA256");
		reusedMac.init(new SecretKeySpec(secret, "HmacSHA256"));
		serverNonce = crypto.randomHex(16);
		token = circle.gossipToken(nodeId, circle.circleId(), serverNonce);
		relayBody = ("{\"circle_hint\":\"" + circle.circleHint() + "\",\"messages\":[]}")
				.getBytes(StandardCharsets.UTF_8);
	}

	@Benchmark
	public String legacyMac() {
		return circle.legacyMac(message);
	}

	@Benchmark
	public boolean legacyMacVerify() {
		return circle.verifyLegacyMac(message);
	}

	@Benchmark
	public byte[] hmacRawJcaReusedMac() {
		return reusedMac.doFinal(macPayload);
	}

	@Benchmark
	public byte[] hmacRawJcaNewMacPerCall() throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret, "HmacSHA256"));
		return mac.doFinal(macPayload);
	}

	@Benchmark
	public String gossipToken() {
		return circle.gossipToken(nodeId, circle.circleId(), serverNonce);
	}

	@Benchmark
	public boolean gossipTokenVerify() {
		return circle.verifyGossipToken(nodeId, circle.circleId(), serverNonce, token);
	}

	@Benchmark
	public String relaySignRequest() {
		return circle.signApiRequest("POST", "/messages", relayBody, 1767225600L, serverNonce);
	}
}
