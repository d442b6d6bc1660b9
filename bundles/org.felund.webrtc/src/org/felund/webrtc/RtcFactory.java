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
