package org.felund.anchor.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class AnchorPolicyComponentTest {
	private static final String C = "c";

	@Test
	void offersOnlyWhenConfiguredToAndExchangesWithAnyPeerThatOffers() {
		AnchorPolicyComponent component = new AnchorPolicyComponent();
		component.configure(Map.of());
		assertFalse(component.offersAnchor());
		component.configure(Map.of("offer", true));
		assertTrue(component.offersAnchor());
		component.configure(Map.of("offer", "false"));
		assertFalse(component.offersAnchor());
		assertTrue(component.exchangeWith(C, "peer", true));
		assertFalse(component.exchangeWith(C, "peer", false));
	}
}
