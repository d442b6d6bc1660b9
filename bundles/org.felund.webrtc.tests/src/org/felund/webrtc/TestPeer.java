package org.felund.webrtc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One node's side of the WebRTC layer for tests: a factory lease, a mailbox at the test relay, a signaling hub on its
 * own executor, and an answerer that echoes every message it receives on a channel.
 */
final class TestPeer implements AutoCloseable {
	static final String HINT = TestRelay.CIRCLE.circleHint();

	final String nodeId;
	final ScheduledExecutorService executor;
	final RtcFactory factory;
	final SignalMailbox mailbox;
	final Signaling signaling;
	final List<String> received = new CopyOnWriteArrayList<>();
	final List<String> closeReasons = new CopyOnWriteArrayList<>();
	volatile boolean accept = true;

	TestPeer(RtcRuntime runtime, String relayUrl, String nodeId, Signaling.Options options) throws Exception {
		this(runtime, relayUrl, nodeId, options, fastMailbox());
	}

	TestPeer(RtcRuntime runtime, String relayUrl, String nodeId, Signaling.Options options,
			SignalMailbox.Options mailboxOptions) throws Exception {
		this.nodeId = nodeId;
		this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "test-signaling " + nodeId.substring(0, 4));
			t.setDaemon(true);
			return t;
		});
		this.factory = runtime.factory(AudioMode.NONE);
		this.mailbox = new SignalMailbox(SignalMailbox.signalUrl(relayUrl), nodeId, mailboxOptions);
		this.signaling = new Signaling(nodeId, factory, mailbox, SignalProfile.DATA, IceSettings.loopbackOnly(), options,
				executor, offer -> accept ? new Signaling.Acceptance(HINT, echoListener()) : null);
		signaling.start();
		await("the first poll of " + nodeId, Duration.ofSeconds(10), () -> {
			try {
				return call(signaling::ready);
			} catch (Exception e) {
				return false;
			}
		});
	}

	/** Polls every 20 ms: for many connect/close cycles in a row. */
	static SignalMailbox.Options busyMailbox() {
		return fastMailbox().withPolls(Duration.ofMillis(20), Duration.ofMillis(10));
	}

	static SignalMailbox.Options fastMailbox() {
		return SignalMailbox.Options.defaults().withPolls(Duration.ofMillis(200), Duration.ofMillis(50))
				.withBackoff(Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofSeconds(1));
	}

	/** The answerer's side: echo each text message back; the session ends with its channel, as in the transport. */
	PeerSession.Listener echoListener() {
		return new PeerSession.Listener() {
			@Override
			public void dataChannel(PeerSession session, DataChannelPort port) {
				port.listener(new DataChannelPort.Listener() {
					@Override
					public void message(DataChannelPort p, byte[] data, boolean binary) {
						String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
						received.add(text);
						p.send("echo:" + text);
					}

					@Override
					public void closed(DataChannelPort p) {
						p.session().close("channel closed");
					}
				});
			}

			@Override
			public void closed(PeerSession session, String reason) {
				closeReasons.add(reason);
			}
		};
	}

	/** Runs on the signaling executor and waits for the result. */
	<T> T call(java.util.concurrent.Callable<T> task) throws Exception {
		return executor.submit(task).get(10, TimeUnit.SECONDS);
	}

	int sessionCount() throws Exception {
		return call(() -> signaling.sessions().size());
	}

	@Override
	public void close() throws Exception {
		call(() -> {
			signaling.close();
			return null;
		});
		mailbox.close();
		factory.close();
		executor.shutdownNow();
	}

	static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - end > 0) {
				throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what);
			}
			Thread.sleep(10);
		}
	}
}
