package org.felund.webrtc;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.onvoid.webrtc.PeerConnectionFactory;

/**
 * A lease on the process's peer-connection factory for one audio mode. Close it when done: the factory and its
 * audio device module are disposed when the last lease is closed and no peer connection of it remains.
 */
public final class RtcFactory implements AutoCloseable {
	private final RtcRuntime runtime;
	private final RtcRuntime.Shared shared;
	private final AtomicBoolean closed = new AtomicBoolean();

	RtcFactory(RtcRuntime runtime, RtcRuntime.Shared shared) {
		this.runtime = runtime;
		this.shared = shared;
	}

	/** The audio mode in effect ({@link AudioMode#SYSTEM} may have fallen back to {@link AudioMode#HEADLESS}). */
	public AudioMode audioMode() {
		return shared.effectiveMode;
	}

	/**
	 * The webrtc-java factory, for media sources and tracks (calls). Never dispose it; peer connections are made by
	 * {@link Signaling} so that their native objects are freed.
	 */
	public PeerConnectionFactory factory() {
		if (closed.get()) {
			throw new IllegalStateException("This factory lease is closed");
		}
		return shared.factory;
	}

	/**
	 * The audio device module of this factory. Calls use it to pick devices; never dispose it.
	 */
	public dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase audioDevices() {
		if (closed.get()) {
			throw new IllegalStateException("This factory lease is closed");
		}
		return shared.adm;
	}

	/**
	 * Audio made by Java code (a test tone, silence) for tracks of this factory, fed every 10 ms; see {@link AudioFeed}
	 * for why it pauses while connections come up. Close it when done.
	 */
	public AudioFeed audioFeed(String name, AudioFeed.Generator generator) {
		return new AudioFeed(this, name, generator);
	}

	/** How long a feed holds its audio for one connection that does not come up. */
	static final long MAX_HOLD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);

	/**
	 * How long feeds keep holding after a connection came up: libwebrtc starts its send streams on its worker thread
	 * once the transport is writable, which races the "connected" callback.
	 */
	static final long SETTLE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300);

	/** Whether a feed must not push now: a connection's send streams may start any moment. */
	boolean holdsCustomAudio(long nowNanos) {
		for (Long since : shared.settling.values()) {
			if (nowNanos - since < MAX_HOLD_NANOS) {
				return true;
			}
		}
		return nowNanos - shared.lastSettled < SETTLE_NANOS;
	}

	/** Counts connections that came up or closed since the factory was made. */
	long settledEvents() {
		return shared.settledEvents.get();
	}

	void settling(Object connection) {
		shared.settling.putIfAbsent(connection, System.nanoTime());
	}

	void settled(Object connection) {
		if (shared.settling.remove(connection) != null) {
			shared.lastSettled = System.nanoTime();
			shared.settledEvents.incrementAndGet();
		}
	}

	/** Peer connections of this factory not yet closed (all leases). */
	public int openConnections() {
		return shared.openConnections.get();
	}

	void connectionOpened() {
		shared.openConnections.incrementAndGet();
	}

	void connectionClosed() {
		if (shared.openConnections.decrementAndGet() == 0) {
			runtime.disposeIfUnused(shared);
		}
	}

	@Override
	public void close() {
		if (closed.compareAndSet(false, true)) {
			runtime.release(shared);
		}
	}
}
