package org.felund.webrtc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.felund.webrtc.internal.NativeRelease;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;

/**
 * One DataChannel of a {@link PeerSession}. Every callback arrives on the session's executor, messages as copies. A
 * port never hands out its native channel: its observer and native references are released when the session closes.
 * <p>
 * Flow control: {@link #writable()} is false while more than {@link #HIGH_WATER} bytes wait in the channel's buffer;
 * the listener's {@link Listener#writable} is called once it has drained below {@link #LOW_WATER} (webrtc-java 0.14.0
 * reports no buffered-amount events, so the session checks while a port is blocked).
 */
public final class DataChannelPort {
	public static final long HIGH_WATER = 1L << 20;
	public static final long LOW_WATER = 256L << 10;

	/** Called on the session's executor. */
	public interface Listener {
		default void opened(DataChannelPort port) {
		}

		/** One message; {@code data} is the caller's to keep. */
		void message(DataChannelPort port, byte[] data, boolean binary);

		default void closed(DataChannelPort port) {
		}

		/** The buffer drained after {@link DataChannelPort#writable()} had turned false. */
		default void writable(DataChannelPort port) {
		}
	}

	private final PeerSession session;
	private final RTCDataChannel channel;
	private final String label;
	private final Executor executor;
	private final Trampoline trampoline;
	private Listener listener;
	private boolean openReported;
	private boolean closedReported;
	private boolean released;
	private boolean blocked;
	private long messagesIn;
	private long bytesIn;
	private long messagesOut;
	private long bytesOut;

	DataChannelPort(PeerSession session, RTCDataChannel channel, Executor executor, Listener listener) {
		this.session = session;
		this.channel = channel;
		this.label = channel.getLabel();
		this.executor = executor;
		this.listener = listener;
		this.trampoline = new Trampoline(this);
		channel.registerObserver(trampoline);
	}

	public PeerSession session() {
		return session;
	}

	public String label() {
		return label;
	}

	/** Replaces the listener (an answerer sets its own when the remote channel arrives). Session executor only. */
	public void listener(Listener newListener) {
		this.listener = newListener;
		if (openReported && !closedReported && newListener != null) {
			newListener.opened(this);
		}
	}

	public boolean isOpen() {
		return !released && openReported && !closedReported;
	}

	public long bufferedAmount() {
		return released ? 0 : channel.getBufferedAmount();
	}

	/** False while the channel's send buffer is above {@link #HIGH_WATER}. */
	public boolean writable() {
		if (!isOpen()) {
			return false;
		}
		if (channel.getBufferedAmount() > HIGH_WATER) {
			if (!blocked) {
				blocked = true;
				session.watchDrain(this);
			}
			return false;
		}
		return true;
	}

	/** Sends a text message; false when the port is not open. */
	public boolean send(String text) {
		return send(text.getBytes(StandardCharsets.UTF_8), false);
	}

	/** Sends one message; false when the port is not open or the channel refused it. */
	public boolean send(byte[] data, boolean binary) {
		if (!isOpen()) {
			return false;
		}
		try {
			channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(data), binary));
		} catch (Exception e) {
			return false;
		}
		messagesOut++;
		bytesOut += data.length;
		return true;
	}

	/** Closes this channel (the session stays). */
	public void close() {
		if (!released) {
			channel.close();
		}
	}

	public long messagesIn() {
		return messagesIn;
	}

	public long bytesIn() {
		return bytesIn;
	}

	public long messagesOut() {
		return messagesOut;
	}

	public long bytesOut() {
		return bytesOut;
	}

	/** Session executor: true while still blocked. */
	boolean checkDrained() {
		if (!blocked || !isOpen()) {
			blocked = false;
			return false;
		}
		if (channel.getBufferedAmount() <= LOW_WATER) {
			blocked = false;
			if (listener != null) {
				listener.writable(this);
			}
			return false;
		}
		return true;
	}

	/** Session executor: detaches the observer and frees the native channel; the port reports closed. */
	void release() {
		if (released) {
			return;
		}
		trampoline.port = null;
		try {
			channel.unregisterObserver();
			channel.close();
		} catch (RuntimeException e) {
			// Already gone with its peer connection.
		}
		released = true;
		reportClosed();
	}

	/** After the peer connection closed. */
	void dispose() {
		NativeRelease.dispose(channel);
	}

	private void stateChanged(RTCDataChannelState state) {
		if (released) {
			return;
		}
		if (state == RTCDataChannelState.OPEN && !openReported) {
			openReported = true;
			session.channelOpened();
			if (listener != null) {
				listener.opened(this);
			}
		} else if (state == RTCDataChannelState.CLOSED || state == RTCDataChannelState.CLOSING) {
			reportClosed();
		}
	}

	private void reportClosed() {
		if (closedReported) {
			return;
		}
		closedReported = true;
		if (listener != null) {
			listener.closed(this);
		}
	}

	private void received(byte[] data, boolean binary) {
		if (released || closedReported) {
			return;
		}
		messagesIn++;
		bytesIn += data.length;
		if (listener != null) {
			listener.message(this, data, binary);
		}
	}

	private void post(Runnable task) {
		try {
			executor.execute(task);
		} catch (RejectedExecutionException e) {
			// The session's executor stopped: nothing to deliver to.
		}
	}

	/**
	 * What webrtc-java keeps a JNI global reference to, forever in 0.14.0: only this small object, never the port or
	 * the session, which are dropped from it on release.
	 */
	private static final class Trampoline implements RTCDataChannelObserver {
		volatile DataChannelPort port;

		Trampoline(DataChannelPort port) {
			this.port = port;
		}

		@Override
		public void onBufferedAmountChange(long previousAmount) {
			// Not called by 0.14.0; the session polls while a port is blocked.
		}

		@Override
		public void onStateChange() {
			DataChannelPort p = port;
			if (p != null) {
				RTCDataChannelState state = p.channel.getState();
				p.post(() -> p.stateChanged(state));
			}
		}

		@Override
		public void onMessage(RTCDataChannelBuffer buffer) {
			DataChannelPort p = port;
			if (p != null) {
				ByteBuffer data = buffer.data;
				byte[] copy = new byte[data.remaining()];
				data.get(copy);
				boolean binary = buffer.binary;
				p.post(() -> p.received(copy, binary));
			}
		}
	}
}
