package org.felund.e2e;

import static org.felund.e2e.PluginWorld.eventually;
import static org.felund.e2e.PluginWorld.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A call between two {@code ./felund-node} products driven only by {@code felund-node call …}, as a script or CI would
 * drive one, through a real {@code ./felund-relay --signatures strict}: the calls plugin is installed from the update
 * site into a copy of the node product, with the WebRTC transport switched off (so the calls plugin signs its own
 * signals: the strict relay refuses unsigned ones). Alice starts a call with the 440 Hz test tone and the 640x480@30
 * test pattern, Bob joins it with a 660 Hz tone and no camera; the statistics lines each one prints show the other's
 * tone (FFT) and Alice's frames at their size and rate. Bob leaves (his command is stopped), Alice sees him go and ends
 * the call (hers is stopped), and {@code call status} shows neither of them in a call. Media stays on loopback (the
 * calls plugin's loopback setting), and the class runs concurrently with the other end-to-end classes.
 */
@Execution(ExecutionMode.CONCURRENT)
class CallProductsTest {
	private static final String CALLS_FEATURE = "org.felund.calls.feature";
	private static final Pattern EVENT = Pattern.compile("^\\{\"event\":\"([a-z]+)\".*$", Pattern.MULTILINE);

	@Test
	void twoNodeProductsCallThroughAStrictRelayWithFelundNodeCallOnly(@TempDir Path tmp) throws Exception {
		long t0 = System.nanoTime();
		Path product = PluginWorld.copyProduct("org.felund.node", tmp.resolve("node"));
		Map<String, String> env = new HashMap<>(PluginWorld.on(product));
		// No WebRTC transport (its mailbox would sign for the calls plugin); media on loopback; virtual audio devices.
		env.put("FELUND_VMARGS", "-Dfelund.webrtc.enabled=false -Dfelund.calls.ice.loopback=true"
				+ " -Dfelund.calls.audio.devices=virtual");
		Path alice = tmp.resolve("alice");
		Path bob = tmp.resolve("bob");
		List<Process> processes = new ArrayList<>();
		try (PluginWorld.Relay relay = new PluginWorld.Relay(tmp, null, "--signatures", "strict")) {
			// From the reactor's update site as a folder: serving it over HTTP is NodePluginsTest's subject.
			Products.Result install = Products.run(env, alice, "felund-node", "plugins", "install", "--repo",
					Products.site().toUri().toString(), "--accept-license", "--trust-unsigned", CALLS_FEATURE);
			assertEquals(0, install.exitCode(), install.out() + install.err());

			// The two homes are independent: set up side by side.
			List<Products.Result> inits = both(alice, bob, home -> Products.run(env, home, "felund-node", "init",
					"--name", home.getFileName().toString(), "--bind", "127.0.0.1", "--port",
					String.valueOf(PluginWorld.freePort()), "--relay", relay.url));
			inits.forEach(init -> assertEquals(0, init.exitCode(), init.err()));
			String code = field(Products.run(env, alice, "felund-node", "invite", "--peer", relay.url, "--json").out(),
					"code");
			Products.Result join = Products.run(env, bob, "felund-node", "join", "--code", code);
			assertEquals(0, join.exitCode(), join.err());

			long prepared = System.nanoTime();
			Path aliceLog = tmp.resolve("alice-call.log");
			Process hosting = Products.start(env, alice, aliceLog, "felund-node", "call", "start", "--microphone",
					"tone:440", "--camera", "pattern:640x480@30", "--every", "1");
			processes.add(hosting);
			assertTrue(eventually(60, () -> lines(aliceLog, "started").size() == 1), "alice's call started:\n"
					+ Files.readString(aliceLog));
			String session = field(lines(aliceLog, "started").get(0), "session_id");
			String aliceId = field(lines(aliceLog, "started").get(0), "host_node_id");

			Path bobLog = tmp.resolve("bob-call.log");
			Process joining = Products.start(env, bob, bobLog, "felund-node", "call", "join", session.substring(0, 8),
					"--microphone", "tone:660", "--camera", "none", "--every", "1", "--wait", "40");
			processes.add(joining);
			// Bob hears Alice's tone and sees her pattern at its size and rate; Alice hears Bob's tone.
			AtomicReference<String> received = new AtomicReference<>("");
			assertTrue(eventually(60, () -> receives(received.updateAndGet(x -> lastStatsOrEmpty(bobLog)), 440, true)),
					"bob receives alice's tone and frames:\n" + Files.readString(bobLog) + "\n" + Files.readString(aliceLog));
			assertTrue(eventually(20, () -> receives(lastStats(aliceLog), 660, false)),
					"alice receives bob's tone:\n" + Files.readString(aliceLog));
			long media = System.nanoTime();
			// The line in which bob first received it all: checked member by member.
			Map<String, Double> video = numbers(received.get(), "video_in");
			assertEquals(640, video.get("width"), received.get());
			assertEquals(480, video.get("height"), received.get());
			assertEquals(30, video.get("fps"), 6, received.get());
			assertEquals(440, numbers(received.get(), "audio_in").get("dominant_hz"), 5, received.get());
			assertEquals(aliceId, field(received.get(), "node_id"), "the peer bob receives from is alice");

			// Bob leaves: his command stops, says so, and Alice's media with him ends.
			int aliceStatsBefore = lines(aliceLog, "stats").size();
			stop(joining);
			assertEquals(List.of("joined", "left"), events(bobLog).stream().filter(e -> !e.equals("stats")).toList(),
					Files.readString(bobLog));
			assertTrue(eventually(30, () -> lines(aliceLog, "stats").size() > aliceStatsBefore
					&& lastStats(aliceLog).contains("\"peers\":[]")), "alice saw bob leave:\n"
							+ Files.readString(aliceLog));

			// Alice ends the call by stopping hers.
			stop(hosting);
			assertEquals(1, lines(aliceLog, "ended").size(), Files.readString(aliceLog));

			List<Products.Result> statuses = both(alice, bob, home -> Products.run(env, home, "felund-node", "call",
					"status"));
			assertTrue(statuses.get(0).out().startsWith("{\"node_id\":\"" + aliceId + "\""), statuses.get(0).out());
			for (Path home : List.of(alice, bob)) {
				Products.Result status = statuses.get(home.equals(alice) ? 0 : 1);
				assertEquals(0, status.exitCode(), status.err());
				assertTrue(status.out().contains("\"media\":false,\"current\":\"\""),
						home.getFileName() + " is in no call: " + status.out());
				if (home.equals(alice)) {
					assertTrue(status.out().contains("\"calls\":[]"), "the host's ended call is gone: " + status.out());
				} else {
					// Bob's node stopped before the end arrived: the call may still be listed, without him in it.
					Matcher participants = Pattern.compile("\"participants\":\\[([^\\]]*)\\]").matcher(status.out());
					while (participants.find()) {
						assertTrue(!participants.group(1).contains(field(status.out(), "node_id")),
								"bob left: " + status.out());
					}
				}
			}
			System.out.printf("CallProductsTest (%s): product copy, plugin install, init, invite, join %d ms; call"
					+ " start to media both ways %d ms; leave, end, status %d ms%n", Thread.currentThread().getName(),
					(prepared - t0) / 1_000_000,
					(media - prepared) / 1_000_000, (System.nanoTime() - media) / 1_000_000);
		} finally {
			for (Process p : processes) {
				if (p.isAlive()) {
					List<ProcessHandle> tree = p.descendants().toList();
					p.destroy();
					if (!p.waitFor(20, TimeUnit.SECONDS)) {
						tree.forEach(ProcessHandle::destroyForcibly);
						p.destroyForcibly();
					}
				}
			}
		}
	}

	private interface Command {
		Products.Result run(Path home) throws Exception;
	}

	/** Runs a one-shot command on both homes at once (two processes). */
	private static List<Products.Result> both(Path a, Path b, Command command) throws Exception {
		CompletableFuture<Products.Result> first = CompletableFuture.supplyAsync(() -> {
			try {
				return command.run(a);
			} catch (Exception e) {
				throw new CompletionException(e);
			}
		});
		Products.Result second = command.run(b);
		return List.of(first.get(150, TimeUnit.SECONDS), second);
	}

	/**
	 * SIGTERM to the launcher, which forwards it to the node: the command leaves (or ends) the call and exits, with the
	 * JVM's status for a SIGTERM (143).
	 */
	private static void stop(Process p) throws InterruptedException {
		p.destroy();
		assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the call command stops within 30 s");
		assertEquals(143, p.exitValue(), "stopped by SIGTERM");
	}

	/** A stats line shows media from the one peer: its tone, and (with {@code video}) 640-wide frames at 30 ± 6 fps. */
	private static boolean receives(String stats, double hz, boolean video) {
		if (stats.isEmpty() || !stats.contains("\"health\":\"connected\"")) {
			return false;
		}
		Map<String, Double> audio = numbers(stats, "audio_in");
		if (Math.abs(audio.getOrDefault("dominant_hz", 0.0) - hz) > 5) {
			return false;
		}
		Map<String, Double> v = numbers(stats, "video_in");
		// The rate is measured over the last second: wait until it is steady (the first second may ramp up).
		return !video || v.getOrDefault("width", 0.0) == 640 && Math.abs(v.getOrDefault("fps", 0.0) - 30) <= 6;
	}

	/** The numeric members of the first {@code "name":{…}} object in a JSON line (statistics have no deeper nesting). */
	private static Map<String, Double> numbers(String json, String name) {
		Matcher object = Pattern.compile("\"" + name + "\":\\{([^{}]*)\\}").matcher(json);
		Map<String, Double> out = new HashMap<>();
		if (object.find()) {
			Matcher member = Pattern.compile("\"([a-z_]+)\":(-?[0-9.]+)").matcher(object.group(1));
			while (member.find()) {
				out.put(member.group(1), Double.parseDouble(member.group(2)));
			}
		}
		return out;
	}

	private static List<String> lines(Path log, String event) throws Exception {
		List<String> out = new ArrayList<>();
		if (Files.exists(log)) {
			for (String line : Files.readAllLines(log)) {
				Matcher m = EVENT.matcher(line);
				if (m.matches() && m.group(1).equals(event)) {
					out.add(line);
				}
			}
		}
		return out;
	}

	private static List<String> events(Path log) throws Exception {
		List<String> out = new ArrayList<>();
		Matcher m = EVENT.matcher(Files.readString(log));
		while (m.find()) {
			out.add(m.group(1));
		}
		return out;
	}

	private static String lastStatsOrEmpty(Path log) {
		try {
			return lastStats(log);
		} catch (Exception e) {
			return "";
		}
	}

	private static String lastStats(Path log) throws Exception {
		List<String> stats = lines(log, "stats");
		return stats.isEmpty() ? "" : stats.get(stats.size() - 1);
	}
}
