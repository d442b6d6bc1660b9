package org.felund.calls;

import static org.felund.testsupport.browser.InteropRun.evalBoolean;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.felund.api.call.Call;
import org.felund.api.call.PeerMedia;
import org.felund.protocol.wire.Json;
import org.felund.testsupport.browser.Chromium;
import org.felund.testsupport.browser.InteropRun;
import org.felund.testsupport.browser.PageServer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call between Debian's headless Chromium and a desktop node, run inside a loopback-only network namespace by
 * {@code CallBrowserInteropTest} (or by hand): the real relay, a node with the calls plugin over real webrtc-java
 * (sending a 440 Hz tone and the moving 640x480 test pattern), and our test page (protocol §5.5 and §8.4, written from
 * the specification) with Chromium's fake camera and microphone. Two rounds: a tab whose id sorts before the node's
 * (the page offers) and one whose id sorts after it (the node offers). Each checks media both ways by what was
 * decoded: at the node, the browser's frames (size, count rising) and audio level; in the browser, getStats'
 * inbound-rtp bytes and decoded frames and the decoded audio's strongest frequency. Then the tab leaves and the node
 * tears its media down. Writes {@code result.json} into the work directory and exits 0 only when every check passed.
 *
 * <pre>
 * java -cp &lt;test class path&gt; org.felund.calls.CallBrowserInterop WORKDIR PAGE
 * </pre>
 */
public final class CallBrowserInterop {
	static final String EARLY = "00000000000000000000000000000c01";
	static final String LATE = "ffffffffffffffffffffffffffffff02";
	private static final Duration WAIT = Duration.ofSeconds(30);

	private final InteropRun run;

	private CallBrowserInterop(InteropRun run) {
		this.run = run;
	}

	public static void main(String[] args) throws Exception {
		Path work = Path.of(args[0]);
		Path page = Path.of(args[1]);
		InteropRun.runAndHalt(work, WAIT, 50, run -> new CallBrowserInterop(run).bothRounds(work, page));
	}

	private void bothRounds(Path work, Path page) throws Exception {
		try (TestRelay relay = new TestRelay(work.resolve("relay.db"));
				CallTestNode desktop = new CallTestNode(work.resolve("desktop"), "desktop", relay.url(), "tone:440",
						"pattern:640x480@30", 6);
				PageServer pages = new PageServer(page);
				Chromium chromium = Chromium.start(work.resolve("chromium-profile"))) {
			if (desktop.id().compareTo(EARLY) <= 0 || desktop.id().compareTo(LATE) >= 0) {
				throw new IllegalStateException("the node's random id " + desktop.id() + " does not sort between the tabs");
			}
			round("browser offers", chromium, pages, relay, desktop, EARLY);
			round("node offers", chromium, pages, relay, desktop, LATE);
		}
	}

	private void round(String name, Chromium chromium, PageServer pages, TestRelay relay, CallTestNode desktop,
			String tabId) throws Exception {
		String tab = run.openTestPage(chromium, pages, name + ": the page to load");
		String circle = chromium.cdp.eval(tab, "felund.start({relay:'" + relay.url() + "', nodeId:'" + tabId
				+ "', secretHex:'" + CallTestNode.SECRET + "', name:'chromium'})").asText();
		run.check(name + ": same circle", circle.equals(desktop.circle));

		Call call = desktop.calls.start(desktop.circle, "general");
		String session = call.sessionId();
		run.check(name + ": the page learns of the call", run.await(name + ": the call in the page",
				() -> evalBoolean(chromium, tab, "felund.calls.has('" + session + "')")));
		long joinAt = System.nanoTime();
		chromium.cdp.eval(tab, "felund.join('" + session + "')");
		run.check(name + ": the node sees the browser join", run.await(name + ": the join at the node",
				() -> desktop.call(session).map(c -> c.participants().contains(tabId)).orElse(false)));
		run.check(name + ": media connected at the node", run.await(name + ": connected at the node",
				() -> peer(desktop, tabId).map(p -> p.health() == org.felund.api.call.Health.CONNECTED).orElse(false)));
		run.put(name + ": join -> connected at the node, ms", (System.nanoTime() - joinAt) / 1_000_000);
		run.check(name + ": media connected in the browser", run.await(name + ": connected in the browser",
				() -> evalBoolean(chromium, tab,
						"felund.stats().then(s => s.length === 1 && s[0].connectionState === 'connected')")));
		run.put(name + ": join -> connected in the browser, ms", (System.nanoTime() - joinAt) / 1_000_000);

		// Browser -> node: Chromium's fake camera (640x480) decoded at the node, frames still coming; its beeps heard.
		run.check(name + ": browser video decoded at the node", run.await(name + ": the browser's frames at the node",
				() -> peer(desktop, tabId).map(p -> p.videoIn().width() == 640 && p.videoIn().height() == 480
						&& p.videoIn().frames() > 10).orElse(false)));
		long framesBefore = peer(desktop, tabId).map(p -> p.videoIn().frames()).orElse(0L);
		double loudest = 0;
		long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		while (System.nanoTime() < end) {
			loudest = Math.max(loudest, peer(desktop, tabId).map(p -> p.audioIn().level()).orElse(0.0));
			Thread.sleep(20);
		}
		PeerMedia atNode = peer(desktop, tabId).orElseThrow();
		long framesIn3s = atNode.videoIn().frames() - framesBefore;
		run.put(name + ": node received from browser", Map.of("frames_in_3s", framesIn3s, "width",
				atNode.videoIn().width(), "height", atNode.videoIn().height(), "audio_bytes", atNode.audioIn().bytes(),
				"loudest_audio_level", loudest));
		run.check(name + ": browser frames keep coming at the node (>= 30 in 3 s)", framesIn3s >= 30);
		run.check(name + ": browser audio heard at the node (level > 0.01)", loudest > 0.01);

		// Node -> browser: inbound-rtp bytes and decoded frames rising, the pattern's size, the tone's frequency.
		JsonNode first = stats(chromium, tab);
		Thread.sleep(3000);
		JsonNode second = stats(chromium, tab);
		long frames = second.path("videoIn").path("framesDecoded").asLong() - first.path("videoIn").path("framesDecoded").asLong();
		long videoBytes = second.path("videoIn").path("bytesReceived").asLong() - first.path("videoIn").path("bytesReceived").asLong();
		long audioBytes = second.path("audioIn").path("bytesReceived").asLong() - first.path("audioIn").path("bytesReceived").asLong();
		run.put(name + ": browser received from node", second);
		run.check(name + ": node frames decoded in the browser (>= 30 in 3 s)", frames >= 30);
		run.check(name + ": node video bytes rising in the browser", videoBytes > 10_000);
		run.check(name + ": node audio bytes rising in the browser", audioBytes > 5_000);
		run.check(name + ": the pattern's size in the browser",
				second.path("videoIn").path("frameWidth").asInt() == 640
						&& second.path("videoIn").path("frameHeight").asInt() == 480);
		boolean toneHeard = run.await(name + ": 440 Hz in the browser", () -> {
			JsonNode s = stats(chromium, tab).path("spectrum");
			return Math.abs(s.path("peakHz").asDouble() - 440) < 12 && s.path("rms").asDouble() > 0.01;
		});
		run.check(name + ": the node's 440 Hz tone decoded in the browser", toneHeard);
		run.put(name + ": browser spectrum", stats(chromium, tab).path("spectrum"));

		// The tab leaves: the node drops its media with it; then the node ends the call.
		chromium.cdp.eval(tab, "felund.leave()");
		run.check(name + ": the node tears down the leaver's media", run.await(
				name + ": the node's media to the tab to go", () -> peer(desktop, tabId).isEmpty()
						&& desktop.call(session).map(c -> !c.participants().contains(tabId)).orElse(false)));
		desktop.calls.end(session);
		run.await(name + ": the end at the node", () -> desktop.calls.peers().isEmpty());
		run.put(name + ": page events", chromium.cdp.eval(tab, "felund.events"));
	}

	private static Optional<PeerMedia> peer(CallTestNode node, String nodeId) {
		return node.calls.peers().stream().filter(p -> p.nodeId().equals(nodeId)).findFirst();
	}

	private static JsonNode stats(Chromium chromium, String tab) {
		try {
			JsonNode all = chromium.cdp.eval(tab, "felund.stats()");
			return all.size() == 1 ? all.get(0) : Json.object();
		} catch (Exception e) {
			return Json.object();
		}
	}
}
