package org.felund.calls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.felund.api.call.Call;
import org.felund.api.call.Health;
import org.felund.api.call.PeerMedia;
import org.felund.webrtc.IceServer;
import org.felund.webrtc.IceSettings;

/**
 * One part of {@code CallTurnTest}, each in its own network namespace: {@code relay} (the relay server, beside the
 * TURN server), {@code host} (starts a call) or {@code guest} (joins it). The host and the guest reach the relay's
 * namespace but not each other, so media can only go through TURN. Each prints what happened as lines the test reads.
 *
 * <pre>
 * java -cp … org.felund.calls.CallTurnRun relay DIR BIND-ADDRESS
 * java -cp … org.felund.calls.CallTurnRun host DIR RELAY-URL TURN-URL USER CREDENTIAL
 * java -cp … org.felund.calls.CallTurnRun guest DIR RELAY-URL TURN-URL USER CREDENTIAL SESSION
 * </pre>
 */
public final class CallTurnRun {
	private CallTurnRun() {
	}

	public static void main(String[] args) throws Exception {
		Path dir = Path.of(args[1]);
		switch (args[0]) {
		case "relay" -> {
			try (TestRelay relay = new TestRelay(dir.resolve("relay.db"), args[2])) {
				System.out.println("PORT " + relay.port());
				System.out.flush();
				Thread.sleep(Long.MAX_VALUE);
			}
		}
		case "host" -> {
			CallTestNode host = node(dir, "host", args, "tone:440", "pattern:320x240@15");
			Call call = host.calls.start(host.circle, "general");
			System.out.println("NODE " + host.id());
			System.out.println("SESSION " + call.sessionId());
			System.out.flush();
			report(host, "guest");
		}
		case "guest" -> {
			CallTestNode guest = node(dir, "guest", args, "tone:660", "none");
			String session = args[6];
			CallTestNode.await("the call to arrive", Duration.ofSeconds(60), () -> guest.call(session).isPresent(),
					() -> "");
			guest.calls.join(session);
			System.out.println("NODE " + guest.id());
			System.out.flush();
			report(guest, "host");
		}
		default -> throw new IllegalArgumentException(args[0]);
		}
	}

	private static CallTestNode node(Path dir, String name, String[] args, String microphone, String camera) {
		IceSettings ice = new IceSettings(List.of(new IceServer(args[3], args[4], args[5])), 0, 0, false);
		return new CallTestNode(dir.resolve(name), name, args[2], microphone, camera, 6, o -> o.withIce(ice));
	}

	/** Every 500 ms: the other side's health, route and received tone, until killed. */
	private static void report(CallTestNode node, String other) throws InterruptedException {
		while (true) {
			Optional<PeerMedia> p = node.calls.peers().stream().findFirst();
			System.out.println("PEER " + p.map(m -> m.nodeId() + " " + m.health() + " route=" + m.route() + " hz="
					+ Math.round(m.audioIn().dominantHz()) + " level=" + m.audioIn().level() + " connected_ms="
					+ m.connectedMs() + " detail=" + m.detail()).orElse("none"));
			System.out.flush();
			if (p.isPresent() && p.get().health() == Health.CONNECTED) {
				System.out.println("STATS " + node.calls.statistics());
				System.out.flush();
			}
			Thread.sleep(500);
		}
	}
}
