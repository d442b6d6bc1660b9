package org.felund.api.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CircleSecretTest {
	private static final String HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

	@Test
	void parsesTrimmedUpperCaseHex() {
		CircleSecret s = CircleSecret.fromHex("  " + HEX.toUpperCase() + "\n");
		assertEquals(HEX, s.hex());
		assertEquals(32, s.bytes().length);
	}

	@Test
	void rejectsWrongLengthWithTheLengthInTheMessage() {
		var e = assertThrows(IllegalArgumentException.class, () -> CircleSecret.fromHex("abcd"));
		assertTrue(e.getMessage().contains("64 hex"), e.getMessage());
	}

	@Test
	void rejectsNonHexAndSaysWhere() {
		var e = assertThrows(IllegalArgumentException.class, () -> CircleSecret.fromHex("zz" + HEX.substring(2)));
		assertTrue(e.getMessage().contains("position 1"), e.getMessage());
	}

	@Test
	void neverPrintsTheSecret() {
		assertFalse(CircleSecret.fromHex(HEX).toString().contains("0001"));
	}
}
