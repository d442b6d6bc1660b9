package org.felund.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A loopback-only network namespace that a test creates and deletes (needs root and iproute2): processes started in
 * it reach nothing but each other, and nothing outside reaches them.
 */
public final class Netns implements AutoCloseable {
	public final String name;

	private Netns(String name) {
		this.name = name;
	}

	/** @param prefix the engineer's short name, so that parallel test runs do not collide */
	public static Netns create(String prefix) throws IOException, InterruptedException {
		if (!"root".equals(System.getProperty("user.name"))) {
			throw new IllegalStateException("Creating a network namespace needs root; run the suite as root (.ci/run)");
		}
		String name = prefix + "-" + ProcessHandle.current().pid();
		run("ip", "netns", "add", name);
		Netns ns = new Netns(name);
		try {
			run("ip", "-n", name, "link", "set", "lo", "up");
		} catch (IOException | RuntimeException e) {
			ns.close();
			throw e;
		}
		return ns;
	}

	/** The command prefixed so that it runs inside the namespace. */
	public List<String> exec(List<String> command) {
		List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
		out.addAll(command);
		return out;
	}

	@Override
	public void close() throws IOException, InterruptedException {
		run("ip", "netns", "del", name);
	}

	/**
	 * Joins two namespaces by a veth pair: {@code endA} with {@code ipA}/24 in {@code nsA}, {@code endB} with
	 * {@code ipB}/24 in {@code nsB}, both up. The pair goes when either namespace is deleted.
	 */
	public static void veth(String nsA, String endA, String ipA, String nsB, String endB, String ipB)
			throws IOException, InterruptedException {
		run("ip", "link", "add", endA, "type", "veth", "peer", "name", endB);
		run("ip", "link", "set", endA, "netns", nsA);
		run("ip", "link", "set", endB, "netns", nsB);
		run("ip", "-n", nsA, "addr", "add", ipA + "/24", "dev", endA);
		run("ip", "-n", nsB, "addr", "add", ipB + "/24", "dev", endB);
		run("ip", "-n", nsA, "link", "set", endA, "up");
		run("ip", "-n", nsB, "link", "set", endB, "up");
	}

	/** Runs the command and returns what it printed; a failure or a 30 s hang is an IOException with its output. */
	public static String run(String... command) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
			throw new IOException(String.join(" ", command) + " failed: " + out.strip());
		}
		return out;
	}
}
