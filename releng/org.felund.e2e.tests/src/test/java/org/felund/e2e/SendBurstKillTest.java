package org.felund.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code ./felund-node send --stdin} in the middle of a burst of 1,000 messages: every message
 * whose id the CLI printed (its acknowledgement) is in the inbox afterwards, and the home still works.
 */
class SendBurstKillTest {
	private static final int BURST = 1_000;
	private static final int KILL_AFTER_ACKS = 400;
	private static final Pattern MSG_ID = Pattern.compile("[0-9a-f]{32}");

	@Test
	void killNineDuringABurstOfSendsLosesNoAcknowledgedMessage(@TempDir Path tmp) throws Exception {
		Path home = tmp.resolve("home");
		assertEquals(0, Products.run(home, "felund-node", "init", "--name", "burst").exitCode());
		String circleId = field(Products.run(home, "felund-node", "invite", "--json").out(), "circle_id");

		List<String> command = List.of(Products.REPO.resolve("felund-node").toString(), "--home", home.toString(),
				"send", "--circle", circleId, "--stdin");
		Process launcher = new ProcessBuilder(command).directory(Products.REPO.toFile())
				.redirectError(tmp.resolve("send.err").toFile()).start();
		List<String> acknowledged = new ArrayList<>();
		CountDownLatch enough = new CountDownLatch(1);
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(launcher.getInputStream(), StandardCharsets.US_ASCII))) {
				for (String line; (line = in.readLine()) != null;) {
					if (MSG_ID.matcher(line).matches()) { // a line cut short by the kill is no acknowledgement
						synchronized (acknowledged) {
							acknowledged.add(line);
							if (acknowledged.size() >= KILL_AFTER_ACKS) {
								enough.countDown();
							}
						}
					}
				}
			} catch (Exception pipeBrokenByTheKill) {
				// expected
			}
		}, "send-acks");
		reader.start();
		Thread writer = new Thread(() -> {
			try (OutputStream raw = launcher.getOutputStream();
					PrintStream lines = new PrintStream(raw, false, StandardCharsets.UTF_8)) {
				for (int i = 0; i < BURST; i++) {
					lines.println("burst message " + i + " with some words to encrypt, ünïcödé too");
				}
			} catch (Exception pipeBrokenByTheKill) {
				// expected
			}
		}, "send-lines");
		writer.start();

		boolean midBurst = enough.await(120, TimeUnit.SECONDS);
		List<ProcessHandle> jvms = launcher.descendants().toList();
		jvms.forEach(ProcessHandle::destroyForcibly); // SIGKILL to the node's JVM: no hooks, no close()
		launcher.destroyForcibly();
		assertTrue(launcher.waitFor(30, TimeUnit.SECONDS));
		reader.join(10_000);
		writer.join(10_000);
		List<String> acked;
		synchronized (acknowledged) {
			acked = List.copyOf(acknowledged);
		}
		assertTrue(midBurst, "only " + acked.size() + " acknowledgements in 120 s: "
				+ Files.readString(tmp.resolve("send.err")));
		assertTrue(acked.size() < BURST, "the kill came after the burst had finished; nothing was tested");

		Products.Result inbox = Products.run(home, "felund-node", "inbox", "--circle", circleId, "--limit",
				"1000", "--json");
		assertEquals(0, inbox.exitCode(), inbox.err());
		Set<String> stored = new HashSet<>();
		Matcher ids = Pattern.compile("\"msg_id\":\"([0-9a-f]{32})\"").matcher(inbox.out());
		while (ids.find()) {
			stored.add(ids.group(1));
		}
		List<String> lost = acked.stream().filter(id -> !stored.contains(id)).toList();
		assertEquals(List.of(), lost, "acknowledged but lost");
		assertTrue(stored.size() <= acked.size() + 1, "at most the message in flight is stored unacknowledged: "
				+ stored.size() + " stored, " + acked.size() + " acknowledged");

		// the home is still readable and writable
		Products.Result after = Products.run(home, "felund-node", "send", "--circle", circleId, "after the crash");
		assertEquals(0, after.exitCode(), after.err());
		assertTrue(Products.run(home, "felund-node", "inbox", "--circle", circleId, "--json").out()
				.contains("after the crash"));
		System.out.printf("send burst killed after %d acknowledgements: %d stored, none lost%n", acked.size(),
				stored.size());
	}

	private static String field(String json, String name) {
		Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
		assertTrue(m.find(), name + " missing in " + json);
		return m.group(1);
	}
}
