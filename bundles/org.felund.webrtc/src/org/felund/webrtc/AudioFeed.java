package org.felund.webrtc;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;

/**
 * Audio made by Java code (a test tone, silence, a file) sent through the tracks of one factory: 10 ms of 48 kHz mono
 * 16-bit samples every 10 ms, from a thread of its own.
 * <p>
 * <b>Why it pauses.</b> In webrtc-java 0.14.0, libwebrtc starts the audio device's recording whenever a connection's
 * audio send stream starts (when the connection comes up), and the device then feeds every send stream from its own
 * thread: the virtual device of {@link AudioMode#HEADLESS} sends what it plays (an echo), a real microphone sends
 * itself, and either one entering a send stream at the same moment as this feed aborts the process
 * ({@code audio_send_stream.cc: race_checker.RaceDetected()}, upstream issues 118 and 217, fixed after 0.14.0). So this
 * feed sends nothing while a connection of its factory is between its descriptions and "connected" (at most
 * {@value #MAX_HOLD_SECONDS} s for one that never comes up), and stops the device's recording after each connection came
 * up or closed, before it sends again. Measured: connections come up within 50 to 300 ms on loopback, so a new peer
 * costs the others that long a gap; a real microphone (no feed) never pauses.
 */
public final class AudioFeed implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(AudioFeed.class.getName());
	public static final int SAMPLE_RATE = 48_000;
	public static final int SAMPLES_PER_FRAME = SAMPLE_RATE / 100;
	static final int MAX_HOLD_SECONDS = 3;
	private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	/** Makes the feed's audio, on the feed's thread. */
	@FunctionalInterface
	public interface Generator {
		/**
		 * Fills 10 ms of samples.
		 *
		 * @param frame {@value #SAMPLES_PER_FRAME} samples to fill (mono, 48 kHz)
		 * @param firstSample the number of samples made before this frame (a running clock)
		 * @param wallMillis when this frame is due, epoch milliseconds (for sources timed by the clock)
		 */
		void fill(short[] frame, long firstSample, long wallMillis);
	}

	private final RtcFactory factory;
	private final String name;
	private final Generator generator;
	private final CustomAudioSource source;
	private final List<AudioTrack> tracks = new CopyOnWriteArrayList<>();
	private final Thread thread;
	private volatile boolean muted;
	private volatile boolean closed;
	private volatile double level;
	private volatile long framesSent;
	private volatile long framesHeld;

	AudioFeed(RtcFactory factory, String name, Generator generator) {
		this.factory = Objects.requireNonNull(factory, "factory");
		this.name = Objects.requireNonNull(name, "name");
		this.generator = Objects.requireNonNull(generator, "generator");
		factory.factory(); // fails when the lease is closed
		this.source = new CustomAudioSource();
		this.thread = new Thread(this::run, "felund-audio " + name);
		thread.setDaemon(true);
		thread.setPriority(Thread.MAX_PRIORITY);
		thread.start();
	}

	/** A new track fed by this feed; add it to as many connections as needed. Disposed with the feed. */
	public AudioTrack newTrack(String trackId) {
		AudioTrack track = factory.factory().createAudioTrack(trackId, source);
		tracks.add(track);
		return track;
	}

	public String name() {
		return name;
	}

	/** Sends silence instead (the tracks stay enabled, nothing is renegotiated). */
	public void setMuted(boolean mute) {
		this.muted = mute;
	}

	public boolean muted() {
		return muted;
	}

	/** RMS level of what was sent over the last frames, 0 to 1. */
	public double level() {
		return level;
	}

	/** Frames sent so far. */
	public long framesSent() {
		return framesSent;
	}

	/** Frames not sent because a connection was coming up. */
	public long framesHeld() {
		return framesHeld;
	}

	private void run() {
		short[] samples = new short[SAMPLES_PER_FRAME];
		byte[] bytes = new byte[SAMPLES_PER_FRAME * 2];
		long sampleClock = 0;
		long next = System.nanoTime();
		long wallAtStart = System.currentTimeMillis();
		long startNanos = next;
		long settledSeen = factory.settledEvents();
		boolean held = false;
		double energy = 0;
		while (!closed) {
			long now = System.nanoTime();
			if (now - next < 0) {
				LockSupport.parkNanos(next - now);
				continue;
			}
			if (now - next > 20 * FRAME_NANOS) {
				// Far behind (a pause of the process): skip ahead rather than send a burst.
				long skipped = (now - next) / FRAME_NANOS;
				next += skipped * FRAME_NANOS;
				sampleClock += skipped * SAMPLES_PER_FRAME;
			}
			long due = next;
			next += FRAME_NANOS;
			generator.fill(samples, sampleClock, wallAtStart + (due - startNanos) / 1_000_000);
			sampleClock += SAMPLES_PER_FRAME;
			if (factory.holdsCustomAudio(due)) {
				held = true;
				framesHeld++;
				continue;
			}
			long settled = factory.settledEvents();
			if (held || settled != settledSeen) {
				settledSeen = settled;
				held = false;
				stopDeviceRecording();
			}
			double sum = 0;
			for (int i = 0; i < SAMPLES_PER_FRAME; i++) {
				short v = muted ? 0 : samples[i];
				bytes[2 * i] = (byte) v;
				bytes[2 * i + 1] = (byte) (v >> 8);
				sum += (double) v * v;
			}
			energy = 0.9 * energy + 0.1 * (sum / SAMPLES_PER_FRAME);
			level = Math.min(1, Math.sqrt(energy) / 32768.0);
			try {
				source.pushAudio(bytes, 16, SAMPLE_RATE, 1, SAMPLES_PER_FRAME);
				framesSent++;
			} catch (RuntimeException e) {
				if (!closed) {
					LOG.log(System.Logger.Level.WARNING, "audio feed " + name + " failed: " + e);
				}
				return;
			}
		}
	}

	/** Twice, a moment apart: the start a connection triggers may come just after the first stop. */
	private void stopDeviceRecording() {
		try {
			factory.audioDevices().stopRecording();
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
			factory.audioDevices().stopRecording();
		} catch (RuntimeException | Error e) {
			if (e instanceof VirtualMachineError vm) {
				throw vm;
			}
			LOG.log(System.Logger.Level.DEBUG, () -> "stopping the device's recording failed: " + e);
		}
	}

	/** Stops feeding and disposes the tracks and the source (remove the tracks from connections first). */
	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		try {
			thread.join(1000);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		for (AudioTrack t : tracks) {
			Natives.dispose(t);
		}
		tracks.clear();
		source.dispose();
	}
}
