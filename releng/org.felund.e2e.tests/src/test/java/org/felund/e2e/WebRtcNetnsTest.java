package org.felund.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code ./felund-node run} products in two network namespaces joined by a veth pair that this test creates,
 * with {@code ./felund-relay} in the first one. Gossip listens on each namespace's loopback, so the nodes can only
 * meet through the relay and WebRTC: the DataChannel comes up over the veth with ordinary host candidates, and when
 * the relay is stopped, chat continues over the channel.
 */
class WebRtcNetnsTest {
	private static final String NET = "10.77." + (ProcessHandle.current().pid() % 200 + 20);
	private static final int RELAY_PORT = 18787;

	@Test
	void twoNodesInTwoNamespacesChatOverADataChannelWhileTheRelayIsDown(@TempDir Path tmp) throws Exception {
		assertEquals("root", System.getProperty("user.name"), "network namespaces need root; run the suite as root");
		long id = ProcessHandle.current().pid() % 100_000;
		String nsA = "webrtc-e2e-a-" + id;
		String nsB = "webrtc-e2e-b-" + id;
		String vethA = "webrtc" + id + "a";
		String vethB = "webrtc" + id + "b";
		List<Process> processes = new ArrayList<>();
		try {
			sh("ip", "netns", "add", nsA);
			sh("ip", "netns", "add", nsB);
			sh("ip", "link", "add", vethA, "type", "veth", "peer", "name", vethB);
			sh("ip", "link", "set", vethA, "netns", nsA);
			sh("ip", "link", "set", vethB, "netns", nsB);
			sh("ip", "-n", nsA, "addr", "add", NET + ".1/24", "dev", vethA);
			sh("ip", "-n", nsB, "addr", "add", NET + ".2/24", "dev", vethB);
			for (String[] ns : new String[][] { { nsA, vethA }, { nsB, vethB } }) {
				sh("ip", "-n", ns[0], "link", "set", "lo", "up");
				sh("ip", "-n", ns[0], "link", "set", ns[1], "up");
			}
			String relay = "http://" + NET + ".1:" + RELAY_PORT;
			Path alice = tmp.resolve("alice");
			Path bob = tmp.resolve("bob");
			assertEquals(0, Products.run(alice, "felund-node", "init", "--name", "alice", "--bind", "127.0.0.1",
					"--port", "19771", "--relay", relay).exitCode());
			assertEquals(0, Products.run(bob, "felund-node", "init", "--name", "bob", "--bind", "127.0.0.1",
					"--port", "19772", "--relay", relay).exitCode());
			String code = field(Products.run(alice, "felund-node", "invite", "--peer", relay, "--json").out(), "code");
			assertEquals(0, Products.run(bob, "felund-node", "join", "--code", code).exitCode());
			String aliceId = field(Products.run(alice, "felund-node", "whoami", "--json").out(), "node_id");
			String bobId = field(Products.run(bob, "felund-node", "whoami", "--json").out(), "node_id");

			Process relayProcess = start(nsA, tmp.resolve("relay-home"), tmp.resolve("relay.log"), "felund-relay",
					"--bind", NET + ".1", "--port", String.valueOf(RELAY_PORT), "--signal-rate-limit", "100");
			processes.add(relayProcess);
			processes.add(start(nsA, alice, tmp.resolve("alice.log"), "felund-node", "run", "--interval", "1"));
			processes.add(start(nsB, bob, tmp.resolve("bob.log"), "felund-node", "run", "--interval", "1"));

			assertTrue(eventually(90, () -> log(tmp, "alice.log").contains("WebRTC channel with " + bobId)
					&& log(tmp, "bob.log").contains("WebRTC channel with " + aliceId)),
					"a DataChannel between the namespaces:\n" + log(tmp, "alice.log") + "\n" + log(tmp, "bob.log"));

			relayProcess.destroy();
			assertTrue(relayProcess.waitFor(30, TimeUnit.SECONDS), "the relay stops");
			assertEquals(0, Products.run(alice, "felund-node", "send", "hello bob, the relay is down").exitCode());
			assertEquals(0, Products.run(bob, "felund-node", "send", "hello alice, over the channel").exitCode());
			assertTrue(eventually(60, () -> Products.run(bob, "felund-node", "inbox", "--json").out()
					.contains("hello bob, the relay is down")), "bob gets alice's message over the channel");
			assertTrue(eventually(60, () -> Products.run(alice, "felund-node", "inbox", "--json").out()
					.contains("hello alice, over the channel")), "alice gets bob's message over the channel");
		} finally {
			for (Process p : processes) {
				p.destroy();
			}
			for (Process p : processes) {
				if (!p.waitFor(30, TimeUnit.SECONDS)) {
					p.descendants().forEach(ProcessHandle::destroyForcibly);
					p.destroyForcibly();
				}
			}
			shQuiet("ip", "netns", "del", nsA);
			shQuiet("ip", "netns", "del", nsB);
		}
	}

	/** A root script inside a namespace; the home's one-shot commands stay in the root namespace (files only). */
	private static Process start(String ns, Path home, Path log, String script, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
				Products.REPO.resolve(script).toString(), "--home", home.toString()));
		command.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(command).directory(Products.REPO.toFile()).redirectErrorStream(true)
				.redirectOutput(log.toFile());
		return pb.start();
	}

	private static String log(Path tmp, String name) {
		try {
			return Files.readString(tmp.resolve(name));
		} catch (IOException e) {
			return "";
		}
	}

	private static void sh(String... command) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes());
		if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
			throw new IOException(String.join(" ", command) + " failed: " + out.strip());
		}
	}

	private static void shQuiet(String... command) {
		try {
			sh(command);
		} catch (IOException | InterruptedException e) {
			System.err.println(e.getMessage());
		}
	}

	private interface Check {
		boolean ok() throws Exception;
	}

	private static boolean eventually(int seconds, Check check) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < deadline) {
			if (check.ok()) {
				return true;
			}
			Thread.sleep(500);
		}
		return check.ok();
	}

	private static String field(String json, String name) {
		Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
		assertTrue(m.find(), name + " missing in " + json);
		return m.group(1);
	}
}
