package org.felund.calls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.felund.api.call.Call;
import org.felund.api.call.PeerMedia;
import org.felund.api.model.ChatMessage;
import org.felund.api.node.SystemNote;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.felund.crypto.JcaCryptoService;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.transport.relay.RelayOptions;
import org.felund.transport.relay.RelayTransport;
import org.felund.webrtc.AudioMode;
import org.felund.webrtc.IceSettings;
import org.felund.webrtc.RtcRuntime;
import org.felund.webrtc.SignalMailbox;
import org.felund.webrtc.Signaling;

/**
 * A real node for call tests: an SQLite home, JCA crypto, the core node, the relay transport to the test relay (which
 * carries the CALL_EVT events and the media signals), its own WebRTC runtime with virtual audio devices, and the
 * calls service, over the loopback workaround so that media stays on 127.0.0.1.
 */
final class CallTestNode implements AutoCloseable {
	static final JcaCryptoService CRYPTO = new JcaCryptoService();
	static final String SECRET = "7c1e8a52b3b1f7c0e9d2a6f5b8c7d3e1a0f9b2c4d6e8f1a3b5c7d9e2f4a6b8c1";
	static final Duration WAIT = Duration.ofSeconds(20);

	final String name;
	final SqliteNodeStore store;
	final Node node;
	final RtcRuntime runtime = new RtcRuntime();
	final String relayUrl;
	volatile RelayTransport relay;
	Calls calls;
	String circle;
	private final UnaryOperator<CallsOptions> tweak;

	CallTestNode(Path home, String name, String relayUrl, String microphone, String camera, int viewerCap) {
		this(home, name, relayUrl, microphone, camera, viewerCap, UnaryOperator.identity());
	}

	/** @param tweak changes to the test options (e.g. a short host timeout) */
	CallTestNode(Path home, String name, String relayUrl, String microphone, String camera, int viewerCap,
			UnaryOperator<CallsOptions> tweak) {
		this.tweak = tweak;
		this.name = name;
		this.relayUrl = relayUrl;
		this.store = SqliteNodeStore.open(home, null);
		this.node = new Node(CRYPTO, store.messages(), store.state(), store.secrets(), NodeOptions.oneShot());
		node.setDisplayName(name);
		circle = node.joinCircle(SECRET, "127.0.0.1:1").circleId();
		attachRelay();
		startCalls(microphone, camera, viewerCap);
	}

	static CallsOptions options(String relayUrl, String microphone, String camera, int viewerCap) {
		return CallsOptions.defaults().withAudioMode(AudioMode.HEADLESS).withRelayUrl(relayUrl)
				.withIce(IceSettings.loopbackOnly()).withSources(microphone, "default", camera).withViewerCap(viewerCap)
				.withSignaling(Signaling.Options.media().withIceTimeout(Duration.ofSeconds(10)),
						SignalMailbox.Options.defaults().withPolls(Duration.ofMillis(200), Duration.ofMillis(50))
								.withBackoff(Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofSeconds(1)))
				.withTimings(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(2));
	}

	void startCalls(String microphone, String camera, int viewerCap) {
		calls = new Calls(node, node.controlEvents(), runtime,
				tweak.apply(options(relayUrl, microphone, camera, viewerCap)), true);
		calls.start();
		node.addNoteContributor(calls.notes(), java.util.Set.of(org.felund.api.control.CallEvent.TYPE), 0);
	}

	void stopCalls() {
		node.removeNoteContributor(calls.notes());
		calls.close();
	}

	void attachRelay() {
		relay = new RelayTransport(RelayOptions.fixed(relayUrl).withPollIntervals(Duration.ofMillis(250),
				Duration.ofSeconds(30)).withPresence(Duration.ofSeconds(30), Duration.ofMillis(300))
				.withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5)));
		node.attach(relay);
	}

	void detachRelay() {
		node.detach(relay);
	}

	String id() {
		return node.identity().nodeId();
	}

	Optional<Call> call(String sessionId) {
		return calls.call(sessionId);
	}

	Optional<PeerMedia> peer(CallTestNode other) {
		return calls.peers().stream().filter(p -> p.nodeId().equals(other.id())).findFirst();
	}

	/** The chat line for a control message, as a chat shows it. */
	Optional<String> line(String msgId) {
		for (ChatMessage m : node.history(circle, ChatMessage.CONTROL, null, 200)) {
			if (m.msgId().equals(msgId)) {
				return node.describe(m).map(SystemNote::text);
			}
		}
		return Optional.empty();
	}

	@SuppressWarnings("unchecked")
	List<Map<String, Object>> statPeers() {
		return (List<Map<String, Object>>) calls.statistics().get("peers");
	}

	static void await(String what, BooleanSupplier condition) throws InterruptedException {
		await(what, WAIT, condition, () -> "");
	}

	static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics)
			throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - end > 0) {
				throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what + ". "
						+ diagnostics.get());
			}
			Thread.sleep(20);
		}
	}

	@Override
	public void close() {
		try {
			stopCalls();
		} finally {
			try {
				node.close();
			} finally {
				store.close();
				runtime.close();
			}
		}
	}
}
