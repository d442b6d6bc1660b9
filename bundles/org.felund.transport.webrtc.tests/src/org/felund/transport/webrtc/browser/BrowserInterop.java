package org.felund.transport.webrtc.browser;

import static org.felund.testsupport.browser.InteropRun.evalBoolean;
import static org.felund.testsupport.browser.InteropRun.evalInt;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.felund.api.model.ChatMessage;
import org.felund.testsupport.browser.Chromium;
import org.felund.testsupport.browser.InteropRun;
import org.felund.testsupport.browser.PageServer;
import org.felund.transport.webrtc.TestRelay;
import org.felund.transport.webrtc.WebRtcOptions;
import org.felund.transport.webrtc.WebRtcTestNode;
import org.felund.webrtc.RtcRuntime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The browser interop run, started inside a loopback-only network namespace by {@code BrowserInteropTest} (or by hand
 * as a benchmark): the real relay, a real node with the relay and WebRTC transports, and Debian's headless Chromium
 * running our test page (three peers in three tabs). Checks that messages flow both ways, that a wrong AUTH closes
 * the channel and stores nothing, that a MSGS_SEND burst is accepted, and that a browser listed after the node is
 * offered a channel by the node; measures send → shown latency. Writes {@code result.json} into the work directory
 * and exits 0 only when every check passed.
 *
 * <pre>
 * java -cp &lt;test class path&gt; org.felund.transport.webrtc.browser.BrowserInterop WORKDIR PAGE [messages]
 * </pre>
 */
public final class BrowserInterop {
	static final String SECRET = "4c1e8a52b3b1f7c0e9d2a6f5b8c7d3e1a0f9b2c4d6e8f1a3b5c7d9e2f4a6b8c0";
	static final String EARLY = "00000000000000000000000000000a01";
	static final String IMPOSTOR = "00000000000000000000000000000b02";
	static final String LATE = "ffffffffffffffffffffffffffffff03";
	private static final Duration WAIT = Duration.ofSeconds(30);

	private final InteropRun run;
	private String relayUrl;

	private BrowserInterop(InteropRun run) {
		this.run = run;
	}

	public static void main(String[] args) throws Exception {
		Path work = Path.of(args[0]);
		Path page = Path.of(args[1]);
		int messages = args.length > 2 ? Integer.parseInt(args[2]) : 30;
		InteropRun.runAndHalt(work, WAIT, 20, run -> new BrowserInterop(run).threeTabs(work, page, messages));
	}

	private void threeTabs(Path work, Path page, int messages) throws Exception {
		try (RtcRuntime runtime = new RtcRuntime();
				TestRelay relay = new TestRelay(work.resolve("relay.db")).start();
				WebRtcTestNode node = WebRtcTestNode.create(work.resolve("node"));
				PageServer pages = new PageServer(page);
				Chromium chromium = Chromium.start(work.resolve("chromium-profile"))) {
			relayUrl = relay.url();
			String circle = node.node.joinCircle(SECRET, "127.0.0.1:1").circleId();
			if (node.nodeId().compareTo(EARLY) <= 0 || node.nodeId().compareTo(LATE) >= 0) {
				throw new IllegalStateException("the node's random id " + node.nodeId() + " does not sort between the tabs");
			}
			ChatMessage history = node.node.send(circle, ChatMessage.GENERAL, "written before the browser came");
			WebRtcOptions options = WebRtcTestNode.fast(relay.url()).withPeerLookup(Duration.ofMillis(500),
					Duration.ofSeconds(20));
			node.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(runtime, options);

			// 1. A browser whose id sorts first finds the node in the relay's peer list and offers (§8.3).
			String early = run.openTestPage(chromium, pages, "the page to load");
			long started = System.nanoTime();
			start(chromium, early, EARLY, false);
			run.await("the first tab's channel", () -> anyOpen(chromium, early));
			run.put("channel_established_ms", (System.nanoTime() - started) / 1e6);
			run.check("history reached the browser", run.await("history in the browser",
					() -> evalBoolean(chromium, early, "felund.received.some(r => r.msg_id === '" + history.msgId() + "')")));

			String fromBrowser = chromium.cdp.eval(early, "felund.send('hello from chromium ✓')").asText();
			long sentAt = System.nanoTime();
			run.check("browser → desktop stored", run.await("the browser's message on the node",
					() -> node.has(circle, fromBrowser)));
			run.put("browser_to_stored_ms", (System.nanoTime() - sentAt) / 1e6);
			run.check("browser message text", node.node.history(circle, ChatMessage.GENERAL, null, 20).stream()
					.anyMatch(m -> m.msgId().equals(fromBrowser) && m.text().equals("hello from chromium ✓")));
			run.check("browser shown via webrtc", node.node.members(circle).stream()
					.anyMatch(m -> m.nodeId().equals(EARLY) && m.transports().contains("webrtc")));

			// Desktop → browser: send → shown (the DOM line's next animation frame), one message at a time.
			Map<String, Double> sentAtMillis = new LinkedHashMap<>();
			for (int i = 0; i < messages; i++) {
				double t = epochMillis();
				ChatMessage m = node.node.send(circle, ChatMessage.GENERAL, "desktop " + i);
				sentAtMillis.put(m.msgId(), t);
				Thread.sleep(50);
			}
			run.check("every desktop message shown", run.await("all desktop messages in the browser",
					() -> evalInt(chromium, early, "felund.received.filter(r => r.shownAt > 0).length") >= messages + 1));
			JsonNode received = chromium.cdp.eval(early, "felund.received");
			List<Double> shown = new ArrayList<>();
			List<Double> arrived = new ArrayList<>();
			for (JsonNode r : received) {
				Double t = sentAtMillis.get(r.get("msg_id").asText());
				if (t != null) {
					shown.add(r.get("shownAt").asDouble() - t);
					arrived.add(r.get("receivedAt").asDouble() - t);
				}
			}
			run.put("desktop_to_browser_shown_ms", summary(shown));
			run.put("desktop_to_browser_onmessage_ms", summary(arrived));

			// A burst of 100 messages in one MSGS_SEND frame.
			JsonNode ids = chromium.cdp.eval(early, "felund.burst(100)");
			run.check("MSGS_SEND burst stored", run.await("the burst on the node", () -> {
				for (JsonNode id : ids) {
					if (!node.has(circle, id.asText())) {
						return false;
					}
				}
				return true;
			}));

			// 2. A tab with a wrong AUTH: the node closes the channel and stores nothing it sent.
			String impostor = run.openTestPage(chromium, pages, "the page to load");
			String planted = chromium.cdp.eval(impostor,
					"felund.start({relay:'" + relay.url() + "', nodeId:'" + IMPOSTOR + "', secretHex:'" + SECRET
							+ "', name:'impostor', badAuth:true}).then(() => felund.newMessage('planted').msg_id)")
					.asText();
			long refusedBefore = node.webrtc.stats().refused();
			run.check("wrong AUTH closes the channel", run.await("the impostor's channel to be closed", () -> node.webrtc
					.stats().refused() > refusedBefore
					&& evalBoolean(chromium, impostor, "felund.closedReasons.includes('channel closed')")));
			Thread.sleep(500);
			run.check("nothing stored from the impostor", !node.has(circle, planted));

			// 3. A browser whose id sorts after the node's: the node offers, having seen it in the peer list.
			String late = run.openTestPage(chromium, pages, "the page to load");
			long lateStart = System.nanoTime();
			start(chromium, late, LATE, false);
			run.check("the node offers to a later browser", run.await("the node's channel to the last tab",
					() -> anyOpen(chromium, late)));
			run.put("node_offered_channel_ms", (System.nanoTime() - lateStart) / 1e6);
			ChatMessage toLate = node.node.send(circle, ChatMessage.GENERAL, "to the last tab");
			run.check("node → later browser", run.await("the message in the last tab", () -> evalBoolean(chromium, late,
					"felund.received.some(r => r.msg_id === '" + toLate.msgId() + "')")));
			run.put("node_stats", node.webrtc.stats().toString());
		}
	}

	private void start(Chromium chromium, String session, String nodeId, boolean badAuth) throws Exception {
		chromium.cdp.eval(session, "felund.start({relay:'" + relayUrl + "', nodeId:'" + nodeId
				+ "', secretHex:'" + SECRET + "', name:'chromium', badAuth:" + badAuth + "})");
	}

	private static boolean anyOpen(Chromium chromium, String session) {
		return evalBoolean(chromium, session, "felund.channels().some(c => c.state === 'open')");
	}

	private static double epochMillis() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
	}

	private static Map<String, Object> summary(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		Map<String, Object> s = new LinkedHashMap<>();
		s.put("n", sorted.size());
		if (!sorted.isEmpty()) {
			s.put("min", round(sorted.get(0)));
			s.put("median", round(sorted.get(sorted.size() / 2)));
			s.put("p90", round(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1))));
			s.put("max", round(sorted.get(sorted.size() - 1)));
		}
		return s;
	}

	private static double round(double v) {
		return Math.round(v * 10) / 10.0;
	}
}
