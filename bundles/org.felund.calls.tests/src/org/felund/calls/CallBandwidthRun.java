package org.felund.calls;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.felund.api.call.Call;
import org.felund.calls.internal.CallsEngine;
import org.felund.calls.internal.SenderEstimates;
import org.felund.protocol.wire.Json;
import org.felund.webrtc.IceSettings;

/**
 * One participant of {@code CallBandwidthTest}, each in its own network namespace, the two joined by a veth pair that
 * the test throttles. The host also runs the relay server (in its namespace, on the veth address), so the guest's
 * signals cross the same link as the media. Prints {@code STATS <json>} (the calls service's statistics and a
 * monotonic time stamp) every 250 ms and obeys {@code mute}, {@code unmute} and {@code quit} lines on standard input.
 *
 * <pre>
 * java -cp … org.felund.calls.CallBandwidthRun host DIR BIND-ADDRESS
 * java -cp … org.felund.calls.CallBandwidthRun guest DIR RELAY-URL SESSION
 * </pre>
 */
public final class CallBandwidthRun {
	private CallBandwidthRun() {
	}

	public static void main(String[] args) throws Exception {
		Path dir = Path.of(args[1]);
		switch (args[0]) {
		case "host" -> {
			TestRelay relay = new TestRelay(dir.resolve("relay.db"), args[2]);
			String url = "http://" + args[2] + ":" + relay.port();
			CallTestNode host = node(dir, "host", url, "tone:440", "pattern:640x480@30");
			Call call = host.calls.start(host.circle, "general");
			System.out.println("RELAY " + url);
			System.out.println("SESSION " + call.sessionId());
			System.out.flush();
			report(host);
		}
		case "guest" -> {
			CallTestNode guest = node(dir, "guest", args[2], "tone:660", "none");
			String session = args[3];
			CallTestNode.await("the call to arrive", Duration.ofSeconds(60), () -> guest.call(session).isPresent(),
					() -> "");
			guest.calls.join(session);
			report(guest);
		}
		default -> throw new IllegalArgumentException(args[0]);
		}
	}

	/** Host candidates on the veth (no loopback workaround: the peers are in different namespaces). */
	private static CallTestNode node(Path dir, String name, String relayUrl, String microphone, String camera) {
		return new CallTestNode(dir.resolve(name), name, relayUrl, microphone, camera, 6,
				o -> o.withIce(IceSettings.hostOnly()));
	}

	private static void report(CallTestNode node) throws Exception {
		Field field = Calls.class.getDeclaredField("engine");
		field.setAccessible(true);
		CallsEngine engine = (CallsEngine) field.get(node.calls);
		Thread commands = new Thread(() -> obey(node), "commands");
		commands.setDaemon(true);
		commands.start();
		while (true) {
			Map<String, Object> line = new LinkedHashMap<>();
			line.put("t_ms", System.nanoTime() / 1_000_000);
			line.putAll(node.calls.statistics());
			line.put("sender", SenderEstimates.of(engine));
			System.out.println("STATS " + Json.MAPPER.writeValueAsString(line));
			System.out.flush();
			Thread.sleep(250);
		}
	}

	private static void obey(CallTestNode node) {
		try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
			for (String command = in.readLine(); command != null; command = in.readLine()) {
				switch (command.strip()) {
				case "mute" -> node.calls.setMuted(true);
				case "unmute" -> node.calls.setMuted(false);
				case "quit" -> Runtime.getRuntime().halt(0);
				default -> System.out.println("UNKNOWN " + command);
				}
				System.out.println("DONE " + command.strip());
				System.out.flush();
			}
		} catch (Exception e) {
			e.printStackTrace();
		}
		// The test went away: do not outlive it.
		Runtime.getRuntime().halt(0);
	}
}
