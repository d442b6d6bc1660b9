package org.felund.webrtc;

import java.net.URI;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.felund.webrtc.internal.NativeRelease;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;

/**
 * The webrtc-java runtime of one process: the native library, one peer-connection factory per {@link AudioMode}, and
 * one signal mailbox per relay and node, shared by every plugin (the DataChannel transport, calls). Registered as an
 * OSGi service by this bundle; tests construct their own.
 * <p>
 * Nothing native is touched until the first {@link #factory} call, so a process that never uses WebRTC never loads
 * the 23 MB library. Thread-safe.
 */
public final class RtcRuntime implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(RtcRuntime.class.getName());

	private final Map<AudioMode, Shared> factories = new EnumMap<>(AudioMode.class);
	private final Map<String, SharedMailbox> mailboxes = new HashMap<>();
	private boolean closed;

	/** One factory and its audio device module, with its leases and open connections. */
	static final class Shared {
		final AudioMode requestedMode;
		final AudioMode effectiveMode;
		final PeerConnectionFactory factory;
		final AudioDeviceModuleBase adm;
		final AtomicInteger openConnections = new AtomicInteger();
		/** Connections whose media may start any moment (both descriptions applied, not yet connected), since when. */
		final java.util.Map<Object, Long> settling = new java.util.concurrent.ConcurrentHashMap<>();
		/** Counts connections that came up or closed: a feed stops the device's recording after each. */
		final java.util.concurrent.atomic.AtomicLong settledEvents = new java.util.concurrent.atomic.AtomicLong();
		volatile long lastSettled = System.nanoTime() - java.util.concurrent.TimeUnit.HOURS.toNanos(1);
		int leases;

		Shared(AudioMode requested, AudioMode effective, PeerConnectionFactory factory, AudioDeviceModuleBase adm) {
			this.requestedMode = requested;
			this.effectiveMode = effective;
			this.factory = factory;
			this.adm = adm;
		}
	}

	private static final class SharedMailbox {
		final SignalMailbox mailbox;
		int leases;

		SharedMailbox(SignalMailbox mailbox) {
			this.mailbox = mailbox;
		}
	}

	/**
	 * A lease on the factory for {@code mode}, created on first use.
	 *
	 * @throws RtcUnavailableException when the native library cannot load (a missing system library is named) or the
	 *             factory cannot be built
	 */
	public synchronized RtcFactory factory(AudioMode mode) throws RtcUnavailableException {
		if (closed) {
			throw new RtcUnavailableException("The WebRTC runtime is stopped", null);
		}
		Shared shared = factories.get(mode);
		if (shared == null) {
			shared = create(mode);
			factories.put(mode, shared);
		}
		shared.leases++;
		return new RtcFactory(this, shared);
	}

	/**
	 * The signal mailbox of {@code nodeId} at this relay, shared with other users of the same pair. Close the returned
	 * lease when done; the mailbox stops with its last lease.
	 */
	public synchronized SignalMailbox.Lease mailbox(URI signalUrl, String nodeId, SignalMailbox.Options options) {
		if (closed) {
			throw new IllegalStateException("The WebRTC runtime is stopped");
		}
		String key = signalUrl + "|" + nodeId;
		SharedMailbox shared = mailboxes.get(key);
		if (shared == null) {
			shared = new SharedMailbox(new SignalMailbox(signalUrl, nodeId, options));
			mailboxes.put(key, shared);
		}
		shared.leases++;
		SharedMailbox s = shared;
		return new SignalMailbox.Lease(s.mailbox, () -> releaseMailbox(key, s));
	}

	private synchronized void releaseMailbox(String key, SharedMailbox shared) {
		if (--shared.leases == 0 && mailboxes.get(key) == shared) {
			mailboxes.remove(key);
			shared.mailbox.close();
		}
	}

	/** The version of webrtc-java on the class path. */
	public static String libraryVersion() {
		return NativeRelease.libraryVersion();
	}

	synchronized void release(Shared shared) {
		shared.leases--;
		disposeIfUnused(shared);
	}

	synchronized void disposeIfUnused(Shared shared) {
		if (shared.leases > 0 || shared.openConnections.get() > 0 || factories.get(shared.requestedMode) != shared) {
			return;
		}
		factories.remove(shared.requestedMode);
		dispose(shared);
	}

	/** Stops every mailbox and disposes every factory whose connections are closed. */
	@Override
	public synchronized void close() {
		if (closed) {
			return;
		}
		closed = true;
		mailboxes.values().forEach(m -> m.mailbox.close());
		mailboxes.clear();
		for (Shared shared : factories.values()) {
			if (shared.openConnections.get() > 0) {
				// Disposing a factory under live connections crashes the process; they die with it instead.
				LOG.log(System.Logger.Level.WARNING, shared.openConnections.get()
						+ " peer connection(s) still open at shutdown; their factory is not disposed");
				continue;
			}
			dispose(shared);
		}
		factories.clear();
	}

	private static Shared create(AudioMode mode) throws RtcUnavailableException {
		try {
			return switch (mode) {
			case NONE -> {
				AudioDeviceModule adm = new AudioDeviceModule(AudioLayer.kDummyAudio);
				yield new Shared(mode, AudioMode.NONE, new PeerConnectionFactory(adm), adm);
			}
			case HEADLESS -> headless(mode);
			case SYSTEM -> {
				AudioDeviceModule adm;
				try {
					adm = new AudioDeviceModule();
				} catch (Error e) {
					LOG.log(System.Logger.Level.INFO, "no usable sound system (" + e.getMessage()
							+ "); WebRTC audio uses virtual devices");
					yield headless(mode);
				}
				yield new Shared(mode, AudioMode.SYSTEM, new PeerConnectionFactory(adm), adm);
			}
			};
		} catch (LinkageError | RuntimeException e) {
			throw new RtcUnavailableException(describe(e), e);
		}
	}

	private static Shared headless(AudioMode requested) {
		HeadlessAudioDeviceModule adm = new HeadlessAudioDeviceModule();
		PeerConnectionFactory factory = new PeerConnectionFactory(adm);
		// Playout must start after the factory exists, or remote audio never reaches sinks (measured).
		adm.initPlayout();
		adm.startPlayout();
		return new Shared(requested, AudioMode.HEADLESS, factory, adm);
	}

	private static void dispose(Shared shared) {
		try {
			shared.factory.dispose();
		} finally {
			shared.adm.dispose();
		}
	}

	/** A message for the user: which native library is missing, where the JVM says so. */
	static String describe(Throwable e) {
		StringBuilder sb = new StringBuilder("WebRTC is not available in this process (webrtc-java ")
				.append(libraryVersion()).append("): ");
		Throwable t = e;
		String last = e.toString();
		while (t != null) {
			if (t.getMessage() != null) {
				last = t.getMessage();
			}
			t = t.getCause() == t ? null : t.getCause();
		}
		sb.append(last);
		if (last.contains(".so")) {
			sb.append(" (on Debian: apt-get install libpulse0 libudev1 libx11-6 libxfixes3 libxrandr2 libxcomposite1 "
					+ "libdbus-1-3)");
		}
		return sb.toString();
	}
}
