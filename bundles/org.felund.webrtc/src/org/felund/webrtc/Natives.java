package org.felund.webrtc;

import dev.onvoid.webrtc.internal.DisposableNativeObject;

/** Releasing webrtc-java objects that a closed peer connection may still hold. */
public final class Natives {
	private Natives() {
	}

	/**
	 * Drops our reference to a track or source. webrtc-java 0.14.0 throws an {@link Error} when another reference
	 * (a closed peer connection's sender, see {@code NativeRelease}) still holds it: ours is gone all the same.
	 */
	public static void dispose(DisposableNativeObject object) {
		if (object == null) {
			return;
		}
		try {
			object.dispose();
		} catch (Error e) {
			if (e instanceof VirtualMachineError vm) {
				throw vm;
			}
			// Still referenced elsewhere; it goes with the last reference.
		}
	}
}
