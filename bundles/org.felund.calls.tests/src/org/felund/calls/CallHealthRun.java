package org.felund.calls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.felund.api.call.Call;
import org.felund.api.call.Health;
import org.felund.api.call.PeerMedia;
import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Call health under a bad network, run by {@code CallHealthTest} inside a loopback-only network namespace of its own
 * (the only place where this process may shape traffic): two nodes in a call over the real relay and real webrtc-java.
 * First the loopback link is throttled with a token bucket (tc tbf: a slow link with a short queue that drops what
 * does not fit; this kernel has no netem) and each side must report the other as degraded, saying why; the throttle
 * goes and both must come back to connected. Then the link goes down: each side must say "no media" within seconds
 * and report the connection failed once ICE gives up, and both must reconnect by themselves when the link is back.
 * Writes {@code result.json} into the work directory and exits 0 only when every check passed.
 */
public final class CallHealthRun {
	private final Map<String, Object> results = new LinkedHashMap<>();
	private boolean ok = true;

	public static void main(String[] args) throws Exception {
		Path work = Path.of(args[0]);
		CallHealthRun run = new CallHealthRun();
		try {
			run.run(work);
		} catch (Throwable t) {
			run.fail("run", t.toString());
			t.printStackTrace();
		}
		ObjectNode json = Json.MAPPER.valueToTree(run.results);
		json.put("ok", run.ok);
		Files.writeString(work.resolve("result.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
		System.out.println("RESULT " + Json.compact(json));
		System.out.flush();
		Runtime.getRuntime().halt(run.ok ? 0 : 1);
	}

	private void run(Path work) throws Exception {
		try (TestRelay relay = new TestRelay(work.resolve("relay.db"));
				CallTestNode alice = new CallTestNode(work.resolve("alice"), "alice", relay.url(), "tone:440",
						"pattern:640x480@30", 6);
				CallTestNode bob = new CallTestNode(work.resolve("bob"), "bob", relay.url(), "tone:660", "none", 6)) {
			Call call = alice.calls.start(alice.circle, "general");
			CallTestNode.await("bob to hear of the call", () -> bob.call(call.sessionId()).isPresent());
			bob.calls.join(call.sessionId());
			check("connected", watch("both connected", Duration.ofSeconds(20), alice, bob,
					p -> p.health() == Health.CONNECTED).isPresent() && watch("both connected", Duration.ofSeconds(20),
							bob, alice, p -> p.health() == Health.CONNECTED).isPresent());

			// 1. A slow link that drops what does not fit: 192 kbit/s, a 16 kB bucket, at most 150 ms of queue.
			sh("tc", "qdisc", "add", "dev", "lo", "root", "tbf", "rate", "192kbit", "burst", "16kb", "latency", "150ms");
			long throttled = System.nanoTime();
			Optional<PeerMedia> degraded = watch("bob to see alice degraded", Duration.ofSeconds(20), bob, alice,
					p -> p.health() == Health.DEGRADED);
			check("throttled: bob reports alice degraded", degraded.isPresent());
			degraded.ifPresent(p -> {
				results.put("throttled: degraded after ms", (System.nanoTime() - throttled) / 1_000_000);
				results.put("throttled: detail", p.detail());
				results.put("throttled: loss percent", p.lossPercent());
				results.put("throttled: rtt ms", p.rttMs());
			});
			check("throttled: the reason is loss or round trip", degraded.map(p -> p.detail().contains("lost")
					|| p.detail().contains("round trip")).orElse(false));
			Thread.sleep(4000);
			bob.peer(alice).ifPresent(p -> {
				results.put("throttled 4 s later: video in", p.videoIn().toString());
				results.put("throttled 4 s later: audio in Hz", p.audioIn().dominantHz());
				results.put("throttled 4 s later: health", p.health() + " " + p.detail());
			});
			sh("tc", "qdisc", "del", "dev", "lo", "root");
			long freed = System.nanoTime();
			check("unthrottled: both connected again", watch("bob to see alice connected", Duration.ofSeconds(30), bob,
					alice, p -> p.health() == Health.CONNECTED).isPresent()
					&& watch("alice to see bob connected", Duration.ofSeconds(30), alice, bob,
							p -> p.health() == Health.CONNECTED).isPresent());
			results.put("unthrottled: connected again after ms", (System.nanoTime() - freed) / 1_000_000);

			// 2. No media at all: the link goes down.
			sh("ip", "link", "set", "lo", "down");
			long down = System.nanoTime();
			Optional<PeerMedia> silent = watch("bob to see no media from alice", Duration.ofSeconds(10), bob, alice,
					p -> p.health() == Health.DEGRADED && p.detail().startsWith("no media"));
			check("link down: bob says no media within 10 s", silent.isPresent());
			results.put("link down: no media after ms", (System.nanoTime() - down) / 1_000_000);
			check("link down: alice says no media from bob within 10 s", watch("alice to see no media from bob",
					Duration.ofSeconds(10), alice, bob, p -> p.health() == Health.DEGRADED
							&& p.detail().startsWith("no media")).isPresent());
			Optional<PeerMedia> failed = watch("bob to see the connection failed", Duration.ofSeconds(40), bob, alice,
					p -> p.health() == Health.FAILED);
			check("link down: bob reports the connection failed", failed.isPresent());
			results.put("link down: failed after ms", (System.nanoTime() - down) / 1_000_000);
			failed.ifPresent(p -> results.put("link down: failed detail", p.detail()));
			check("link down: the call itself goes on", !bob.call(call.sessionId()).orElseThrow().ended()
					&& bob.calls.current().isPresent());

			sh("ip", "link", "set", "lo", "up");
			long up = System.nanoTime();
			check("link up: bob hears alice's tone again", watch("alice's media back at bob", Duration.ofSeconds(60),
					bob, alice, p -> p.health() == Health.CONNECTED && Math.abs(p.audioIn().dominantHz() - 440) < 5)
					.isPresent());
			check("link up: alice hears bob again", watch("bob's media back at alice", Duration.ofSeconds(30), alice,
					bob, p -> p.health() == Health.CONNECTED && Math.abs(p.audioIn().dominantHz() - 660) < 5)
					.isPresent());
			results.put("link up: reconnected after ms", (System.nanoTime() - up) / 1_000_000);
			alice.calls.end(call.sessionId());
		}
	}

	/** Polls {@code at}'s view of {@code of} until it matches; the health values seen meanwhile go into the results. */
	private Optional<PeerMedia> watch(String what, Duration timeout, CallTestNode at, CallTestNode of,
			Predicate<PeerMedia> wanted) throws InterruptedException {
		List<String> seen = new ArrayList<>();
		long end = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < end) {
			Optional<PeerMedia> p = at.peer(of);
			if (p.isPresent()) {
				String state = p.get().health() + (p.get().detail().isEmpty() ? "" : " (" + p.get().detail() + ")");
				if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
					seen.add(state);
				}
				if (wanted.test(p.get())) {
					results.put("seen while waiting for " + what, seen);
					return p;
				}
			}
			Thread.sleep(20);
		}
		results.put("seen while waiting for " + what, seen);
		fail(what, "timed out after " + timeout.toSeconds() + " s");
		return Optional.empty();
	}

	private static void sh(String... command) throws Exception {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes());
		if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
		}
	}

	private void check(String name, boolean passed) {
		results.put("check: " + name, passed);
		ok &= passed;
	}

	private void fail(String what, String why) {
		results.put("failed: " + what, why);
		ok = false;
	}
}
