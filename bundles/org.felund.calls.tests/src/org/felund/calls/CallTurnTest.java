package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.felund.testsupport.FlatClassPath;
import org.felund.testsupport.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TURN fallback: the host and the guest of a call sit in two network namespaces that reach a third one (Debian's
 * coturn and the relay server) but not each other (the middle namespace forwards nothing), so their host candidates
 * are useless and the call can only connect through the TURN server's relay candidates. Checks at both ends that the
 * connection is up on the relay route and that each hears the other's tone. All three namespaces and the veth pairs
 * are made and deleted here.
 */
class CallTurnTest {
	private static final Path TURNSERVER = Path.of("/usr/bin/turnserver");
	/** A line saying the peer is connected on the relay route and its tone (±5 Hz) arrives. */
	private static Pattern hearing(int hz) {
		return Pattern.compile("PEER (\\S+) CONNECTED route=relay hz=(" + (hz - 5) + "|" + (hz - 4) + "|" + (hz - 3) + "|"
				+ (hz - 2) + "|" + (hz - 1) + "|" + hz + "|" + (hz + 1) + "|" + (hz + 2) + "|" + (hz + 3) + "|" + (hz + 4)
				+ "|" + (hz + 5) + ") ");
	}

	@TempDir
	Path tmp;

	private final List<Process> processes = new ArrayList<>();
	private final List<String> namespaces = new ArrayList<>();

	@Test
	void aCallBetweenPeersThatCannotReachEachOtherConnectsThroughTurn() throws Exception {
		assertTrue(Files.isExecutable(TURNSERVER), "Debian's coturn is needed (releng/bin/ensure-packages test)");
		assertTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
		long pid = ProcessHandle.current().pid() % 100000;
		String t = "calls2-turn-t-" + pid;
		String a = "calls2-turn-a-" + pid;
		String b = "calls2-turn-b-" + pid;
		try {
			for (String ns : List.of(t, a, b)) {
				Netns.run("ip", "netns", "add", ns);
				namespaces.add(ns);
				Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
			}
			Netns.veth(t, "c2ta" + pid, "10.213.1.1", a, "c2at" + pid, "10.213.1.2");
			Netns.veth(t, "c2tb" + pid, "10.213.2.1", b, "c2bt" + pid, "10.213.2.2");
			// Each side reaches all of the middle's addresses; the middle forwards nothing, so not the other side.
			Netns.run("ip", "-n", a, "route", "add", "10.213.2.0/24", "via", "10.213.1.1");
			Netns.run("ip", "-n", b, "route", "add", "10.213.1.0/24", "via", "10.213.2.1");
			assertTrue(Netns.run("ip", "netns", "exec", t, "cat", "/proc/sys/net/ipv4/ip_forward").strip().equals("0"),
					"the middle namespace must not forward");

			start(t, "turn", List.of(TURNSERVER.toString(), "-n", "--listening-ip=10.213.1.1",
					"--listening-ip=10.213.2.1", "--listening-port=3478", "--relay-ip=10.213.1.1", "--lt-cred-mech",
					"--user=felund:s3cret", "--realm=felund", "--min-port=49160", "--max-port=49400", "--no-tls",
					"--no-dtls", "--no-cli", "--userdb=" + tmp.resolve("turndb"), "--pidfile=" + tmp.resolve("turn.pid"),
					"--log-file=stdout", "--simple-log"));
			start(t, "relay", java("relay", tmp.toString(), "0.0.0.0"));
			String port = await("relay", Pattern.compile("PORT (\\d+)"), 60).group(1);
			start(a, "host", java("host", tmp.toString(), "http://10.213.1.1:" + port, "turn:10.213.1.1:3478?transport=udp",
					"felund", "s3cret"));
			String session = await("host", Pattern.compile("SESSION (\\w+)"), 60).group(1);
			start(b, "guest", java("guest", tmp.toString(), "http://10.213.2.1:" + port,
					"turn:10.213.2.1:3478?transport=udp", "felund", "s3cret", session));
			// The guest hears the host's 440 Hz through TURN, and the host the guest's 660 Hz.
			Matcher atGuest = await("guest", hearing(440), 90);
			Matcher atHost = await("host", hearing(660), 30);
			System.out.println(lastLine("guest", "PEER") + "\n" + lastLine("host", "PEER"));
			assertTrue(atGuest.group().contains("route=relay") && atHost.group().contains("route=relay"));
		} finally {
			for (Process p : processes) {
				p.descendants().forEach(ProcessHandle::destroyForcibly);
				p.destroyForcibly();
				p.waitFor(10, TimeUnit.SECONDS);
			}
			for (String ns : namespaces) {
				try {
					Netns.run("ip", "netns", "del", ns);
				} catch (IOException e) {
					System.out.println("could not delete " + ns + ": " + e.getMessage());
				}
			}
		}
	}

	private List<String> java(String... args) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
				.toString(), "-Djava.io.tmpdir=" + tmp, "--enable-native-access=ALL-UNNAMED", "-cp",
				FlatClassPath.of(CallTurnRun.class), CallTurnRun.class.getName()));
		command.addAll(List.of(args));
		return command;
	}

	private void start(String ns, String name, List<String> command) throws IOException {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
		full.addAll(command);
		processes.add(new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log")
				.toFile()).start());
	}

	/** The last line of a log that matches, waited for. */
	private Matcher await(String name, Pattern pattern, int seconds) throws Exception {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < end) {
			Matcher found = null;
			for (String line : log(name).split("\n")) {
				Matcher m = pattern.matcher(line);
				if (m.find()) {
					found = m;
				}
			}
			if (found != null) {
				return found;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("no '" + pattern + "' from " + name + " within " + seconds + " s; its last lines:\n"
				+ tail(log(name)) + "\nturn:\n" + tail(log("turn")));
	}

	private String lastLine(String name, String prefix) throws IOException {
		String last = "";
		for (String line : log(name).split("\n")) {
			if (line.startsWith(prefix)) {
				last = name + ": " + line;
			}
		}
		return last;
	}

	private String log(String name) throws IOException {
		Path p = tmp.resolve(name + ".log");
		return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
	}

	private static String tail(String s) {
		return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
	}
}
