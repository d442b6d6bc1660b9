package org.felund.api.transport;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.model.Circle;

/** What a transport may know of one circle: its public description and its keyed crypto. */
public interface CircleAccess {
	Circle circle();

	CircleCrypto crypto();

	default String circleId() {
		return circle().circleId();
	}
}
