package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.felund.api.call.Call;
import org.felund.api.call.Health;
import org.felund.api.call.PeerMedia;
import org.felund.testsupport.FlatClassPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host of a call is killed (SIGKILL: no leave, no end, no goodbye to the relay): a member sees the call end by
 * itself once the host has not been heard of for the host timeout. Heard of means present on a transport or sending
 * media; the host's presence on the relay lapses with its TTL (30 s, the relay's minimum), so the call ends within
 * TTL + host timeout + one upkeep round (5 s) after the kill. Needs a process to kill, and the relay's TTL: the test
 * takes about 70 s by design (the shortest host timeout is 10 s).
 */
class HostVanishedTest {
	private static final Duration HOST_TIMEOUT = Duration.ofSeconds(10);
	private static final Duration PRESENCE_TTL = Duration.ofSeconds(30);
	private static final Duration UPKEEP = Duration.ofSeconds(5);

	@TempDir
	Path tmp;

	@Test
	void membersSeeTheCallEndWithinTheTimeoutAfterTheHostProcessIsKilled() throws Exception {
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db"));
				CallTestNode member = new CallTestNode(tmp.resolve("member"), "member", relay.url(), "tone:660", "none",
						6, o -> o.withHostTimeout(HOST_TIMEOUT))) {
			Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
			Process host = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Djava.io.tmpdir=" + javaTmp, "--enable-native-access=ALL-UNNAMED", "-cp",
					FlatClassPath.of(CallHostProcess.class), CallHostProcess.class.getName(),
					tmp.resolve("host").toString(), relay.url()).redirectErrorStream(true)
					.redirectOutput(tmp.resolve("host.log").toFile()).start();
			try {
				// The host's output goes to a file: a pipe nobody reads would stall it once full.
				String hostId = null;
				String session = null;
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
				while (session == null && System.nanoTime() < deadline && host.isAlive()) {
					for (String line : new String(Files.readAllBytes(tmp.resolve("host.log")), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
						if (line.startsWith("NODE ")) {
							hostId = line.substring(5).strip();
						} else if (line.startsWith("SESSION ")) {
							session = line.substring(8).strip();
						}
					}
					Thread.sleep(50);
				}
				assertTrue(session != null, "the host process printed no session: " + new String(Files.readAllBytes(tmp.resolve("host.log")), java.nio.charset.StandardCharsets.UTF_8));
				String sid = session;
				String hid = hostId;
				CallTestNode.await("the call at the member", () -> member.call(sid).isPresent());
				member.calls.join(sid);
				CallTestNode.await("media from the host", CallTestNode.WAIT, () -> member.calls.peers().stream()
						.anyMatch(p -> p.nodeId().equals(hid) && p.health() == Health.CONNECTED
								&& Math.abs(p.audioIn().dominantHz() - 440) < 5),
						() -> member.calls.statistics().toString());
				// Alive, the host keeps its call well past the (short) timeout.
				Thread.sleep(HOST_TIMEOUT.plus(UPKEEP).toMillis());
				assertFalse(member.call(sid).orElseThrow().ended(), "the call ended while its host was alive");

				host.destroyForcibly();
				assertTrue(host.waitFor(10, TimeUnit.SECONDS));
				long killed = System.nanoTime();
				Duration bound = PRESENCE_TTL.plus(HOST_TIMEOUT).plus(UPKEEP).plus(Duration.ofSeconds(5));
				CallTestNode.await("the call to end at the member", bound,
						() -> member.call(sid).map(Call::ended).orElse(false), () -> member.calls.statistics().toString());
				long endedMs = (System.nanoTime() - killed) / 1_000_000;
				System.out.println("host killed -> call ended at the member: " + endedMs + " ms (bound "
						+ bound.toMillis() + " ms)");
				Call ended = member.call(sid).orElseThrow();
				assertEquals("host (the host) has not been heard of for 10 s", ended.endReason());
				assertTrue(member.calls.current().isEmpty(), "the member is out of the ended call");
				CallTestNode.await("the member's media to go", () -> member.calls.peers().isEmpty());
				List<PeerMedia> left = member.calls.peers();
				assertTrue(left.isEmpty(), left.toString());
			} finally {
				host.destroyForcibly();
				host.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}
}
