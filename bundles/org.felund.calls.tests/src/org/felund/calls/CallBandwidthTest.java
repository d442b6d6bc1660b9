package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.felund.protocol.wire.Json;
import org.felund.testsupport.FlatClassPath;
import org.felund.testsupport.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Bandwidth adaptation on a throttled link: the host of a call (440 Hz tone, 640x480@30 test pattern) and a guest
 * (660 Hz tone, no camera) run as {@link CallBandwidthRun} processes in two network namespaces made here, joined by
 * one veth pair. With the link free the host's video runs well above the cap (the test pattern is easy to encode: it
 * needs about 300 to 500 kbit/s although the encoder may use 1.7 Mbit/s, so the cap is 150 kbit/s for the throttle
 * to bite); then a token bucket (tc tbf, short queue) goes on the host's end of the veth. Checked from both sides'
 * getStats: the sender's bandwidth estimate and the encoder's target fall below the cap, the sent video settles under
 * it and shrinks to half size ({@link org.felund.webrtc.VideoAdaptation}), frames keep arriving at the guest at a
 * usable rate, the tone still arrives at 440 Hz in every sample with little loss, mute and unmute on the throttled
 * link work without dropping the call, and when the throttle goes the picture returns to full size and the sent rate
 * climbs back. Both namespaces (and so the veth pair) are deleted at the end.
 * <p>
 * About a minute by design, most of it the way back up: libwebrtc raises its estimate by a few per cent a second, so
 * from under 150 kbit/s to the 450 kbit/s that full size needs takes it about half a minute.
 */
class CallBandwidthTest {
	/** The throttle on the host's side of the link, kbit/s on the wire (headers included). */
	private static final int CAP_KBPS = 150;
	private static final String HOST_IP = "10.214.1.1";
	private static final String GUEST_IP = "10.214.1.2";

	@TempDir
	Path tmp;

	private final Map<String, Object> figures = new LinkedHashMap<>();
	private final Map<String, Participant> participants = new LinkedHashMap<>();

	@Test
	void videoAdaptsToAThrottledLinkAudioStaysIntactAndTheRateRecoversWhenTheThrottleGoes() throws Exception {
		assertTrue("root".equals(System.getProperty("user.name")), "network namespaces and tc need root (.ci/run)");
		long pid = ProcessHandle.current().pid() % 1_000_000;
		String a = "callsbw-a-" + pid;
		String b = "callsbw-b-" + pid;
		String hostEnd = "cbwa" + pid;
		String guestEnd = "cbwb" + pid;
		List<String> namespaces = new ArrayList<>();
		try {
			for (String ns : List.of(a, b)) {
				Netns.run("ip", "netns", "add", ns);
				namespaces.add(ns);
				Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
			}
			Netns.veth(a, hostEnd, HOST_IP, b, guestEnd, GUEST_IP);

			long begun = System.nanoTime();
			Participant host = start(a, "host", "host", tmp.toString(), HOST_IP);
			String relay = host.await(Pattern.compile("^RELAY (\\S+)"), 60).group(1);
			String session = host.await(Pattern.compile("^SESSION (\\w+)"), 10).group(1);
			Participant guest = start(b, "guest", "guest", tmp.toString(), relay, session);

			// 1. Free link: connected, the tone and frames arrive, and the host sends far more than the cap.
			long t0 = System.nanoTime();
			guest.awaitSample("the host's tone and video at the guest", 60,
					s -> connected(s) && near(hz(s), 440) && num(s, "video_in", "fps") > 0);
			host.awaitSample("the host to see the guest connected", 20, CallBandwidthTest::connected);
			figures.put("free: media after s", seconds(System.nanoTime() - t0));
			double free = host.awaitRate("the host's video to climb above twice the cap", "video_out", 30,
					rate -> rate > 2 * CAP_KBPS);
			figures.put("free: video sent kbps (2 s)", Math.round(free));
			figures.put("free: video sent size", size(host.last(), "video_out"));
			figures.put("free: estimate and target kbps", estimate(host.last()));

			figures.put("free: sizes sent", host.window(begun, System.nanoTime()).samples.stream()
					.map(x -> size(x, "video_out")).distinct().toList());

			// 2. Throttle the host's way out: the sent video must settle below the cap.
			Netns.run("ip", "netns", "exec", a, "tc", "qdisc", "add", "dev", hostEnd, "root", "tbf", "rate", CAP_KBPS + "kbit",
					"burst", "16kb", "latency", "100ms");
			long throttled = System.nanoTime();
			host.awaitSample("the host's bandwidth estimate to fall below the cap", 20,
					s -> available(s) > 0 && available(s) < CAP_KBPS);
			figures.put("throttled: estimate below the cap after s", seconds(System.nanoTime() - throttled));
			host.awaitRate("the host's video to settle below the cap", "video_out", 30, rate -> rate < 0.8 * CAP_KBPS);
			figures.put("throttled: settled below the cap after s", seconds(System.nanoTime() - throttled));
			host.awaitSample("the host's video to shrink", 10, s -> num(s, "video_out", "height") > 0 && num(s,
					"video_out", "height") <= 240);
			figures.put("throttled: sent at half size or less after s", seconds(System.nanoTime() - throttled));
			// A steady window: every sample must hear the tone, frames keep coming, the rate stays under the cap.
			long steadyFrom = System.nanoTime();
			Thread.sleep(6000);
			Window hostOut = host.window(steadyFrom, System.nanoTime());
			Window guestIn = guest.window(steadyFrom, System.nanoTime());
			double videoSent = hostOut.rateKbps("video_out");
			double audioSent = hostOut.rateKbps("audio_out");
			figures.put("throttled: video sent kbps (6 s)", Math.round(videoSent));
			figures.put("throttled: audio sent kbps (6 s)", Math.round(audioSent));
			figures.put("throttled: video sent size", size(host.last(), "video_out"));
			figures.put("throttled: limitation", text(host.last(), "video_out", "limitation"));
			figures.put("throttled: video received fps (6 s)", round(guestIn.framesPerSecond()));
			figures.put("throttled: video received size", size(guest.last(), "video_in"));
			figures.put("throttled: audio loss percent (6 s)", round(guestIn.lossPercent("audio_in")));
			figures.put("throttled: samples off 440 Hz", guestIn.count(s -> !near(hz(s), 440)));
			figures.put("throttled: estimate and target kbps", estimate(host.last()));
			figures.put("throttled: highest estimate kbps (6 s)", hostOut.samples.stream()
					.mapToLong(CallBandwidthTest::available).max().orElse(-1));
			assertTrue(videoSent + audioSent < CAP_KBPS, "sent payload above the cap: " + figures);
			// The estimate probes a little above the link's rate now and then, but never back towards the free link.
			assertTrue(hostOut.count(s -> available(s) >= 2 * CAP_KBPS) == 0, "the estimate must stay near the cap: "
					+ figures);
			assertTrue(num(host.last(), "video_out", "height") <= 240 && num(guest.last(), "video_in", "height") <= 240,
					"the video must be sent and received at half size or less: " + figures);
			// Full size would come at 7 or 8 frames a second here; at half size it flows (about 25 on an idle machine).
			assertTrue(guestIn.framesPerSecond() >= 10, "frames must keep arriving: " + figures);
			assertTrue(guestIn.samples.size() >= 15 && guestIn.count(s -> !near(hz(s), 440)) == 0,
					"the tone must arrive in every sample: " + guestIn.hzSeen() + " " + figures);
			assertTrue(guestIn.lossPercent("audio_in") < 5, "audio loss: " + figures);

			// 3. Mute and unmute on the throttled link: silence, then the tone again, and the call stays up.
			long muteFrom = System.nanoTime();
			host.command("mute");
			guest.awaitSample("silence at the guest", 5, s -> num(s, "audio_in", "level") < 0.01);
			figures.put("throttled: mute heard after ms", (System.nanoTime() - muteFrom) / 1_000_000);
			long unmuteFrom = System.nanoTime();
			host.command("unmute");
			guest.awaitSample("the tone back at the guest", 5,
					s -> near(hz(s), 440) && num(s, "audio_in", "level") > 0.1);
			figures.put("throttled: unmute heard after ms", (System.nanoTime() - unmuteFrom) / 1_000_000);
			for (Participant p : List.of(host, guest)) {
				Window w = p.window(muteFrom, System.nanoTime());
				assertTrue(w.count(s -> !connected(s)) == 0, p.name + " lost the connection around mute: " + w.samples);
			}

			// 4. Lift the throttle: the estimate climbs (about 8 % a second, libwebrtc's pace), the picture goes back to
			// full size and the sent rate with it.
			Netns.run("ip", "netns", "exec", a, "tc", "qdisc", "del", "dev", hostEnd, "root");
			long lifted = System.nanoTime();
			figures.put("sizes sent while throttled", host.window(throttled, lifted).samples.stream()
					.map(x -> size(x, "video_out")).distinct().toList());
			guest.awaitSample("full-size video at the guest again", 60, s -> num(s, "video_in", "height") == 480);
			figures.put("lifted: full size received again after s", seconds(System.nanoTime() - lifted));
			figures.put("lifted: estimate and target kbps at full size", estimate(host.last()));
			double back = host.awaitRate("the host's video to climb back above twice the cap", "video_out", 20,
					rate -> rate > 2 * CAP_KBPS);
			figures.put("lifted: above twice the cap after s", seconds(System.nanoTime() - lifted));
			figures.put("lifted: video sent kbps (2 s)", Math.round(back));
			figures.put("lifted: estimate and target kbps", estimate(host.last()));
			assertTrue(near(hz(guest.last()), 440), "the tone after the throttle: " + guest.last());
			System.out.println("BANDWIDTH " + Json.MAPPER.writeValueAsString(figures));
		} finally {
			for (Participant p : participants.values()) {
				p.stop();
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

	private Participant start(String ns, String name, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.io.tmpdir=" + tmp,
				"--enable-native-access=ALL-UNNAMED", "-cp", FlatClassPath.of(CallBandwidthRun.class),
				CallBandwidthRun.class.getName()));
		command.addAll(List.of(args));
		Participant p = new Participant(name, new ProcessBuilder(command).redirectErrorStream(true).start(),
				tmp.resolve(name + ".log"));
		participants.put(name, p);
		return p;
	}

	/** The one peer's statistics in a sample (a call has exactly two members here). */
	private static JsonNode peer(JsonNode sample) {
		JsonNode peers = sample.path("peers");
		return peers.size() > 0 ? peers.get(0) : Json.MAPPER.createObjectNode();
	}

	/** The sender's bandwidth estimate for the one peer (0 when unknown). */
	private static long available(JsonNode sample) {
		JsonNode sender = sample.path("sender");
		return sender.size() > 0 ? sender.elements().next().path("available_kbps").asLong(0) : 0;
	}

	private static String estimate(JsonNode sample) {
		JsonNode sender = sample.path("sender");
		return sender.size() > 0 ? available(sample) + " / " + sender.elements().next().path("target_kbps").asLong(0)
				: "";
	}

	private static boolean connected(JsonNode sample) {
		return "connected".equals(peer(sample).path("health").asText()) || "degraded".equals(peer(sample).path(
				"health").asText());
	}

	private static double num(JsonNode sample, String... path) {
		JsonNode n = peer(sample);
		for (String p : path) {
			n = n.path(p);
		}
		return n.asDouble(0);
	}

	private static String text(JsonNode sample, String... path) {
		JsonNode n = peer(sample);
		for (String p : path) {
			n = n.path(p);
		}
		return n.asText("");
	}

	private static double hz(JsonNode sample) {
		return num(sample, "audio_in", "dominant_hz");
	}

	private static boolean near(double hz, double wanted) {
		return Math.abs(hz - wanted) < 5;
	}

	private static String size(JsonNode sample, String stream) {
		return (int) num(sample, stream, "width") + "x" + (int) num(sample, stream, "height");
	}

	private static double seconds(long nanos) {
		return round(nanos / 1e9);
	}

	private static double round(double v) {
		return Math.round(v * 10) / 10.0;
	}

	/** The samples of one participant between two instants of this JVM's clock. */
	private record Window(List<JsonNode> samples) {
		/** Payload kbit/s of a stream, from its byte counter at the ends of the window (the participant's clock). */
		double rateKbps(String stream) {
			if (samples.size() < 2) {
				return 0;
			}
			JsonNode first = samples.get(0);
			JsonNode last = samples.get(samples.size() - 1);
			double ms = last.path("t_ms").asDouble() - first.path("t_ms").asDouble();
			return ms <= 0 ? 0 : (num(last, stream, "bytes") - num(first, stream, "bytes")) * 8 / ms;
		}

		double framesPerSecond() {
			if (samples.size() < 2) {
				return 0;
			}
			JsonNode first = samples.get(0);
			JsonNode last = samples.get(samples.size() - 1);
			double ms = last.path("t_ms").asDouble() - first.path("t_ms").asDouble();
			return ms <= 0 ? 0 : (num(last, "video_in", "frames") - num(first, "video_in", "frames")) * 1000 / ms;
		}

		double lossPercent(String stream) {
			if (samples.size() < 2) {
				return 100;
			}
			JsonNode first = samples.get(0);
			JsonNode last = samples.get(samples.size() - 1);
			double lost = num(last, stream, "packets_lost") - num(first, stream, "packets_lost");
			double got = num(last, stream, "packets") - num(first, stream, "packets");
			return lost + got <= 0 ? 100 : 100 * lost / (lost + got);
		}

		long count(Predicate<JsonNode> which) {
			return samples.stream().filter(which).count();
		}

		List<Long> hzSeen() {
			return samples.stream().map(s -> Math.round(hz(s))).toList();
		}
	}

	private record Sample(long arrived, JsonNode stats) {
	}

	/** A participant process: its log, its samples (with this JVM's receive time) and its standard input. */
	private static final class Participant {
		final String name;
		final Process process;
		final Path log;
		final PrintWriter in;
		final List<String> lines = new CopyOnWriteArrayList<>();
		/** Every sample with the time (this JVM's clock) it arrived. */
		final List<Sample> samples = new CopyOnWriteArrayList<>();

		Participant(String name, Process process, Path log) {
			this.name = name;
			this.process = process;
			this.log = log;
			OutputStream stdin = process.getOutputStream();
			this.in = new PrintWriter(stdin, true, StandardCharsets.UTF_8);
			Thread reader = new Thread(this::read, "read-" + name);
			reader.setDaemon(true);
			reader.start();
		}

		private void read() {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
					StandardCharsets.UTF_8))) {
				for (String line = r.readLine(); line != null; line = r.readLine()) {
					Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
							java.nio.file.StandardOpenOption.APPEND);
					if (line.startsWith("STATS ")) {
						samples.add(new Sample(System.nanoTime(), Json.MAPPER.readTree(line.substring(6))));
					} else {
						lines.add(line);
					}
				}
			} catch (IOException e) {
				lines.add("READ FAILED " + e);
			}
		}

		void command(String command) {
			in.println(command);
		}

		JsonNode last() {
			return samples.isEmpty() ? Json.MAPPER.createObjectNode() : samples.get(samples.size() - 1).stats;
		}

		Window window(long fromNanos, long toNanos) {
			List<JsonNode> out = new ArrayList<>();
			for (Sample s : samples) {
				if (s.arrived - fromNanos >= 0 && toNanos - s.arrived >= 0) {
					out.add(s.stats);
				}
			}
			return new Window(out);
		}

		Matcher await(Pattern pattern, int seconds) throws Exception {
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			while (System.nanoTime() - end < 0) {
				for (String line : lines) {
					Matcher m = pattern.matcher(line);
					if (m.find()) {
						return m;
					}
				}
				Thread.sleep(50);
			}
			throw new AssertionError("no '" + pattern + "' from " + name + " within " + seconds + " s:\n" + tail());
		}

		JsonNode awaitSample(String what, int seconds, Predicate<JsonNode> wanted) throws Exception {
			long from = System.nanoTime();
			long end = from + TimeUnit.SECONDS.toNanos(seconds);
			while (System.nanoTime() - end < 0) {
				List<JsonNode> recent = window(from, System.nanoTime()).samples;
				for (JsonNode s : recent) {
					if (wanted.test(s)) {
						return s;
					}
				}
				Thread.sleep(50);
			}
			throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; " + name
					+ "'s last sample: " + last() + "\n" + tail());
		}

		/** Waits until the rate of a stream over the last 2 s passes a test; returns that rate. */
		double awaitRate(String what, String stream, int seconds, Predicate<Double> wanted) throws Exception {
			long from = System.nanoTime();
			long end = from + TimeUnit.SECONDS.toNanos(seconds);
			List<Long> seen = new ArrayList<>();
			while (System.nanoTime() - end < 0) {
				Thread.sleep(500);
				long now = System.nanoTime();
				if (now - from < 2_000_000_000L) {
					continue;
				}
				double rate = window(now - 2_000_000_000L, now).rateKbps(stream);
				seen.add(Math.round(rate));
				if (wanted.test(rate)) {
					return rate;
				}
			}
			throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; kbps seen " + seen
					+ "; last sample: " + last());
		}

		String tail() {
			try {
				String s = Files.exists(log) ? Files.readString(log) : "";
				return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
			} catch (IOException e) {
				return e.toString();
			}
		}

		void stop() throws InterruptedException {
			in.println("quit");
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}
}
