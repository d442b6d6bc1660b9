package org.felund.transport.webrtc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.felund.api.model.ChatMessage;
import org.felund.api.node.NodeListener;
import org.felund.webrtc.IceSettings;
import org.felund.webrtc.RtcRuntime;

/**
 * The WebRTC transport between two real nodes in one JVM (SQLite homes, the real relay for signaling, DataChannels
 * over the loopback workaround). A {@code main} program, not a test:
 *
 * <pre>
 * java -cp &lt;test class path&gt; org.felund.transport.webrtc.WebRtcBenchmark latency [messages=1000]
 * java -cp &lt;test class path&gt; org.felund.transport.webrtc.WebRtcBenchmark establish [rounds=10]
 * </pre>
 *
 * {@code latency}: send → stored on the other node over an open channel, one message every 5 ms; the nodes are put
 * in the relay's peer list by a signed {@code POST /v1/register} of the harness and have no relay transport, so
 * nothing else delivers. {@code establish}: both nodes are in the relay's peer list
 * (their relay transports registered and each sees the other), then both WebRTC transports are attached with their
 * default cadence; the time until both channels are authenticated, {@code rounds} times.
 */
public final class WebRtcBenchmark {
	public static void main(String[] args) throws Exception {
		String mode = args.length > 0 ? args[0] : "latency";
		int n = args.length > 1 ? Integer.parseInt(args[1]) : mode.equals("establish") ? 10 : 1000;
		Path tmp = Files.createTempDirectory("webrtc-bench");
		try (RtcRuntime runtime = new RtcRuntime(); TestRelay relay = new TestRelay(tmp.resolve("relay.db")).start();
				WebRtcTestNode a = WebRtcTestNode.create(tmp.resolve("a"));
				WebRtcTestNode b = WebRtcTestNode.create(tmp.resolve("b"))) {
			String circle = WebRtcTestNode.shareCircle(a, b, "bench");
			if (mode.equals("establish")) {
				establish(runtime, relay, a, b, circle, n);
			} else {
				latency(runtime, relay, a, b, circle, n);
			}
		}
		Runtime.getRuntime().halt(0);
	}

	private static void latency(RtcRuntime runtime, TestRelay relay, WebRtcTestNode a, WebRtcTestNode b, String circle,
			int messages) throws Exception {
		// No relay transport: the nodes are put in the relay's peer list by hand, so only the channel can deliver.
		a.registerWith(relay.url(), circle);
		b.registerWith(relay.url(), circle);
		a.withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
		b.withWebRtc(runtime, WebRtcTestNode.fast(relay.url()));
		WebRtcTestNode.await("the channel", Duration.ofSeconds(30), () -> a.channelTo(b, circle) && b.channelTo(a, circle));
		Map<String, Long> storedAt = new ConcurrentHashMap<>();
		b.node.addListener(new NodeListener() {
			@Override
			public void messageAdded(ChatMessage message) {
				storedAt.put(message.msgId(), System.nanoTime());
			}
		});
		for (int i = 0; i < 200; i++) { // warm-up
			a.node.send(circle, ChatMessage.GENERAL, "warm-up " + i);
			Thread.sleep(2);
		}
		WebRtcTestNode.await("the warm-up", Duration.ofSeconds(30), () -> storedAt.size() >= 200);
		storedAt.clear();
		Map<String, Long> sentAt = new ConcurrentHashMap<>();
		for (int i = 0; i < messages; i++) {
			long t = System.nanoTime();
			ChatMessage m = a.node.send(circle, ChatMessage.GENERAL, "message " + i + " of the latency run");
			sentAt.put(m.msgId(), t);
			Thread.sleep(5);
		}
		WebRtcTestNode.await("every message", Duration.ofSeconds(60), () -> storedAt.keySet().containsAll(sentAt.keySet()));
		List<Double> ms = new ArrayList<>();
		sentAt.forEach((id, t) -> ms.add((storedAt.get(id) - t) / 1e6));
		Collections.sort(ms);
		System.out.printf("send → stored over the DataChannel, %d messages 5 ms apart: p50 %.2f ms, p90 %.2f ms, "
				+ "p99 %.2f ms, max %.2f ms%n", ms.size(), pct(ms, 50), pct(ms, 90), pct(ms, 99), ms.get(ms.size() - 1));
		System.out.println("A: " + a.webrtc.stats() + "\nB: " + b.webrtc.stats());
	}

	private static void establish(RtcRuntime runtime, TestRelay relay, WebRtcTestNode a, WebRtcTestNode b,
			String circle, int rounds) throws Exception {
		a.withRelay(WebRtcTestNode.fastRelay(relay.url()));
		b.withRelay(WebRtcTestNode.fastRelay(relay.url()));
		WebRtcTestNode.await("both in the peer list", Duration.ofSeconds(30),
				() -> a.relay.state().peers() == 1 && b.relay.state().peers() == 1);
		// The product's cadence (5 s lookups, 2 s idle polls, 250 ms while negotiating); loopback candidates only.
		WebRtcOptions defaults = WebRtcOptions.defaults().withRelayUrl(relay.url()).withIce(IceSettings.loopbackOnly());
		List<Double> ms = new ArrayList<>();
		for (int round = 0; round <= rounds; round++) {
			long t0 = System.nanoTime();
			WebRtcTransport ta = new WebRtcTransport(runtime, defaults);
			WebRtcTransport tb = new WebRtcTransport(runtime, defaults);
			a.node.attach(ta);
			b.node.attach(tb);
			a.webrtc = ta;
			b.webrtc = tb;
			WebRtcTestNode.await("both channels", Duration.ofSeconds(60),
					() -> a.channelTo(b, circle) && b.channelTo(a, circle));
			double took = (System.nanoTime() - t0) / 1e6;
			if (round == 0) {
				System.out.printf("round 0 (first use: loads the native library, builds the factory): %.0f ms%n", took);
			} else {
				ms.add(took);
				System.out.printf("round %d: %.0f ms%n", round, took);
			}
			a.node.detach(ta);
			b.node.detach(tb);
			Thread.sleep(500);
		}
		Collections.sort(ms);
		System.out.printf("channel up after both are listed, %d rounds: min %.0f ms, median %.0f ms, max %.0f ms%n",
				ms.size(), ms.get(0), pct(ms, 50), ms.get(ms.size() - 1));
	}

	private static double pct(List<Double> sorted, int p) {
		int i = (int) Math.ceil(sorted.size() * p / 100.0) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
	}
}
