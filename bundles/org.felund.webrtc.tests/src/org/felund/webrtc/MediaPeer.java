package org.felund.webrtc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;

/**
 * One node's media side for the layer's tests: its own runtime (its own virtual audio device), a tone through an
 * {@link AudioFeed}, a flat grey video source, and the media profile of one call. Counts what arrives.
 */
final class MediaPeer implements AutoCloseable {
	final String nodeId;
	final RtcRuntime runtime = new RtcRuntime();
	final ScheduledExecutorService executor;
	final RtcFactory factory;
	final SignalMailbox mailbox;
	final Signaling signaling;
	final AudioFeed feed;
	final AudioTrack audio;
	final CustomVideoSource videoSource;
	final VideoTrack video;
	final AtomicLong audioCallbacks = new AtomicLong();
	final AtomicLong videoFrames = new AtomicLong();
	final List<String> closeReasons = new CopyOnWriteArrayList<>();
	/** Zero crossings and samples of the received audio, for its frequency. */
	private final AtomicLong crossings = new AtomicLong();
	private final AtomicLong samples = new AtomicLong();
	private boolean positive;
	private volatile boolean sendingVideo;
	private final Thread videoThread;

	MediaPeer(String relayUrl, String nodeId, double toneHz) throws Exception {
		this.nodeId = nodeId;
		this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "test-media " + nodeId.substring(0, 4));
			t.setDaemon(true);
			return t;
		});
		factory = runtime.factory(AudioMode.HEADLESS);
		videoSource = new CustomVideoSource(); // after the factory: it loads the native library
		mailbox = new SignalMailbox(SignalMailbox.signalUrl(relayUrl), nodeId, TestPeer.fastMailbox());
		feed = factory.audioFeed("tone " + toneHz, (frame, first, wall) -> {
			for (int i = 0; i < frame.length; i++) {
				frame[i] = (short) (8000 * Math.sin(2 * Math.PI * toneHz * (first + i) / AudioFeed.SAMPLE_RATE));
			}
		});
		audio = feed.newTrack("audio-" + nodeId);
		video = factory.factory().createVideoTrack("video-" + nodeId, videoSource);
		signaling = new Signaling(nodeId, factory, mailbox, SignalProfile.media("c0ffee00c0ffee00"),
				IceSettings.loopbackOnly(), Signaling.Options.media().withIceTimeout(Duration.ofSeconds(10)), executor,
				offer -> new Signaling.Acceptance(TestPeer.HINT, listener()));
		signaling.start();
		videoThread = new Thread(this::pushVideo, "test-video " + nodeId.substring(0, 4));
		videoThread.setDaemon(true);
		videoThread.start();
		TestPeer.await("the first poll of " + nodeId, Duration.ofSeconds(10), () -> {
			try {
				return call(signaling::ready);
			} catch (Exception e) {
				return false;
			}
		});
	}

	/** Offers to a peer with an audio and a video transceiver; video only received until {@link #sendVideo}. */
	PeerSession offerTo(String peer) throws Exception {
		return call(() -> signaling.offer(peer, TestPeer.HINT, listener(), s -> {
			s.connection().addTrack(audio, List.of("stream-" + nodeId));
			RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
			init.direction = sendingVideo ? RTCRtpTransceiverDirection.SEND_RECV : RTCRtpTransceiverDirection.RECV_ONLY;
			init.streamIds = List.of("stream-" + nodeId);
			s.connection().addTransceiver(video, init);
		}));
	}

	/** Turns video on in every session and renegotiates. */
	void sendVideo(boolean on) throws Exception {
		sendingVideo = on;
		call(() -> {
			for (PeerSession s : signaling.sessions()) {
				for (RTCRtpTransceiver t : s.connection().getTransceivers()) {
					if (MediaStreamTrack.VIDEO_TRACK_KIND.equals(t.getReceiver().getTrack().getKind())) {
						t.setDirection(on ? RTCRtpTransceiverDirection.SEND_RECV : RTCRtpTransceiverDirection.RECV_ONLY);
					}
				}
				s.renegotiate();
			}
			return null;
		});
	}

	private PeerSession.Listener listener() {
		return new PeerSession.Listener() {
			@Override
			public void beforeAnswer(PeerSession session) {
				for (RTCRtpTransceiver t : session.connection().getTransceivers()) {
					String kind = t.getReceiver().getTrack().getKind();
					if (t.getSender().getTrack() != null) {
						continue;
					}
					if (MediaStreamTrack.AUDIO_TRACK_KIND.equals(kind)) {
						t.getSender().replaceTrack(audio);
						t.setDirection(RTCRtpTransceiverDirection.SEND_RECV);
					} else {
						t.getSender().replaceTrack(video);
						t.setDirection(sendingVideo ? RTCRtpTransceiverDirection.SEND_RECV
								: RTCRtpTransceiverDirection.RECV_ONLY);
					}
				}
			}

			@Override
			public void track(PeerSession session, RTCRtpTransceiver transceiver) {
				MediaStreamTrack track = transceiver.getReceiver().getTrack();
				if (track instanceof AudioTrack a) {
					a.addSink((data, bits, rate, channels, frames) -> {
						audioCallbacks.incrementAndGet();
						int frameCrossings = 0;
						int peak = 0;
						for (int i = 0; i < frames; i++) {
							short v = (short) ((data[2 * i * channels] & 0xff) | (data[2 * i * channels + 1] << 8));
							peak = Math.max(peak, Math.abs(v));
							// With hysteresis: codec noise around zero is no crossing.
							if (positive ? v < -2000 : v > 2000) {
								positive = !positive;
								frameCrossings++;
							}
						}
						// Only frames that carry the tone count: when the CPU is starved the receiver conceals lost
						// packets with faded or silent frames, which say nothing about which tone arrives.
						if (peak >= 4000) {
							crossings.addAndGet(frameCrossings);
							samples.addAndGet(frames);
						}
					});
				} else if (track instanceof VideoTrack v) {
					v.addSink(frame -> {
						videoFrames.incrementAndGet();
						frame.release();
					});
				}
			}

			@Override
			public void closed(PeerSession session, String reason) {
				closeReasons.add(reason);
			}
		};
	}

	/** The received tone's frequency since the last call, from zero crossings in the frames that carry it. */
	double receivedHz() {
		long c = crossings.getAndSet(0);
		long n = samples.getAndSet(0);
		return n == 0 ? 0 : c / 2.0 * AudioFeed.SAMPLE_RATE / n;
	}

	private void pushVideo() {
		while (!Thread.currentThread().isInterrupted()) {
			NativeI420Buffer buffer = NativeI420Buffer.allocate(320, 240);
			for (java.nio.ByteBuffer plane : List.of(buffer.getDataY(), buffer.getDataU(), buffer.getDataV())) {
				while (plane.hasRemaining()) {
					plane.put((byte) 128);
				}
			}
			VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
			videoSource.pushFrame(frame);
			frame.release();
			try {
				Thread.sleep(33);
			} catch (InterruptedException e) {
				return;
			}
		}
	}

	PeerSession.State callState(PeerSession s) {
		try {
			return call(s::state);
		} catch (Exception e) {
			return PeerSession.State.CLOSED;
		}
	}

	<T> T call(java.util.concurrent.Callable<T> task) throws Exception {
		return executor.submit(task).get(10, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws Exception {
		videoThread.interrupt();
		videoThread.join(1000);
		call(() -> {
			signaling.close();
			return null;
		});
		feed.close();
		Natives.dispose(video);
		videoSource.dispose();
		mailbox.close();
		factory.close();
		executor.shutdownNow();
		runtime.close();
	}
}
