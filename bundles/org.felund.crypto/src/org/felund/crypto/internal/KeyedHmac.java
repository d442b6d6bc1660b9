package org.felund.crypto.internal;

import java.security.InvalidKeyException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under one fixed key. Each thread keeps its own initialised {@link Mac}, so a call costs the HMAC
 * itself and no provider lookup or key setup. Thread-safe.
 */
public final class KeyedHmac {
	private final SecretKeySpec key;
	private final ThreadLocal<Mac> macs;

	public KeyedHmac(byte[] key) {
		this.key = new SecretKeySpec(key, Primitives.HMAC_SHA256);
		this.macs = ThreadLocal.withInitial(this::newMac);
	}

	public byte[] mac(byte[] data) {
		// doFinal() resets the Mac to its keyed initial state, ready for the next call on this thread
		return macs.get().doFinal(data);
	}

	public String macHex(byte[] data) {
		return Hex.encode(mac(data));
	}

	private Mac newMac() {
		Mac mac = Primitives.newHmac();
		try {
			mac.init(key);
		} catch (InvalidKeyException e) {
			throw new IllegalStateException("HmacSHA256 rejected the key", e);
		}
		return mac;
	}

	@Override
	public String toString() {
		return "KeyedHmac[redacted]";
	}
}
