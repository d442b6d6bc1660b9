package org.felund.webrtc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Properties;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.internal.NativeObject;

/**
 * Frees what webrtc-java 0.14.0 leaks when a peer connection closes.
 * <p>
 * In 0.14.0, {@code RTCPeerConnection.close()} calls {@code Close()} on the native peer connection and clears the
 * Java handle, but never drops the reference the Java object owned: every closed connection keeps its whole native
 * object graph (transports, SCTP, certificates), about 50 kB (measured: 106 kB of malloc per two-peer cycle, see
 * docs/benchmarks.md). Upstream fixed it after 0.14.0 (pull request 283), in no release on Maven Central yet.
 * <p>
 * The handle is a {@code PeerConnectionInterface*}; {@code RTCDataChannel.dispose()} calls exactly one virtual method,
 * {@code Release()}, on its handle. Both interfaces derive only from {@code RefCountInterface}, whose first two
 * virtual methods are {@code AddRef} and {@code Release}, so the same virtual-table slot releases the peer
 * connection. We therefore read the handle before {@code close()} and hand it to a handle-only {@code RTCDataChannel}
 * to drop the reference. This runs only on the release that needs it (checked by the jar's Maven version), because on
 * a fixed release {@code close()} already drops it and a second release would free the object twice.
 * <p>
 * The DataChannel observers that 0.14.0 also leaks (a small native wrapper and a JNI global reference per
 * {@code registerObserver}) cannot be freed from Java; {@code DataChannelPort} keeps what they retain down to one
 * small trampoline object.
 */
public final class NativeRelease {
	private static final System.Logger LOG = System.getLogger(NativeRelease.class.getName());
	/** The only release known to leak this way. */
	static final String LEAKING_VERSION = "0.14.0";

	private static final String VERSION = readVersion();
	private static final Field HANDLE;
	private static final Constructor<RTCDataChannel> ALIAS;
	private static final boolean ACTIVE;

	static {
		Field handle = null;
		Constructor<RTCDataChannel> alias = null;
		boolean active = false;
		if (LEAKING_VERSION.equals(VERSION) && !Boolean.getBoolean("felund.webrtc.noReleaseWorkaround")) {
			try {
				handle = NativeObject.class.getDeclaredField("nativeHandle");
				handle.setAccessible(true);
				alias = RTCDataChannel.class.getDeclaredConstructor();
				alias.setAccessible(true);
				active = handle.getType() == long.class;
			} catch (ReflectiveOperationException | RuntimeException e) {
				LOG.log(System.Logger.Level.WARNING,
						"webrtc-java " + VERSION + " leaks every closed peer connection and the workaround is not "
								+ "possible here: " + e);
			}
		}
		HANDLE = handle;
		ALIAS = alias;
		ACTIVE = active;
	}

	private NativeRelease() {
	}

	/** The webrtc-java version of the loaded jar, or {@code "unknown"}. */
	public static String libraryVersion() {
		return VERSION;
	}

	/** Whether closing releases the native peer connection through this workaround. */
	public static boolean active() {
		return ACTIVE;
	}

	/** Closes a peer connection and frees its native object. Call once, after its channels are closed. */
	public static void closeAndRelease(RTCPeerConnection pc) {
		long handle = 0;
		if (ACTIVE) {
			try {
				handle = HANDLE.getLong(pc);
			} catch (IllegalAccessException e) {
				handle = 0;
			}
		}
		pc.close();
		if (handle != 0) {
			release(handle);
		}
	}

	/** Releases a data channel's native reference (after {@code close()}); a reference still held elsewhere is fine. */
	public static void dispose(RTCDataChannel channel) {
		try {
			channel.dispose();
		} catch (Error e) {
			// 0.14.0 reports that someone else (the closed peer connection) still holds a reference: ours is dropped.
		}
	}

	private static void release(long handle) {
		try {
			RTCDataChannel alias = ALIAS.newInstance();
			HANDLE.setLong(alias, handle);
			alias.dispose();
		} catch (Error e) {
			// Not the last reference (a callback still runs); the object goes with the last one.
		} catch (ReflectiveOperationException e) {
			LOG.log(System.Logger.Level.WARNING, "could not release a closed peer connection: " + e);
		}
	}

	private static String readVersion() {
		try (InputStream in = RTCPeerConnection.class
				.getResourceAsStream("/META-INF/maven/dev.onvoid.webrtc/webrtc-java/pom.properties")) {
			if (in == null) {
				return "unknown";
			}
			Properties p = new Properties();
			p.load(in);
			return p.getProperty("version", "unknown").trim();
		} catch (IOException | RuntimeException e) {
			return "unknown";
		}
	}
}
