package org.felund.calls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TestToneTest {
	@Test
	void beepsStartOnTheSecondAndLastATenthOfIt() {
		TestTone beep = SourceIds.tone("beep:880");
		short[] frame = new short[480];
		beep.fill(frame, 0, 1_000_000); // 10 ms at the start of a second
		assertTrue(peak(frame) > 8000);
		beep.fill(frame, 0, 1_000_095); // 95..105 ms: the beep ends halfway
		assertTrue(peak(frame) > 8000);
		beep.fill(frame, 0, 1_000_200);
		assertEquals(0, peak(frame));
	}

	@Test
	void sourceNamesAreCheckedWithAMessageThatSaysWhatWorks() {
		assertEquals(TestTone.Shape.TONE, SourceIds.tone("tone:440").shape());
		assertEquals(TestTone.Shape.SILENCE, SourceIds.tone("silence").shape());
		assertEquals(null, SourceIds.tone("device:USB Mic"));
		assertThrows(IllegalArgumentException.class, () -> SourceIds.tone("tone:5"));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourceIds.tone("mic"));
		assertTrue(e.getMessage().contains("tone:<hz>"), e.getMessage());
		SourceIds.Camera p = SourceIds.camera("pattern:320x240@15");
		assertEquals(320, p.width());
		assertEquals(15, p.fps());
		assertTrue(SourceIds.camera("none").none());
		assertThrows(IllegalArgumentException.class, () -> SourceIds.camera("webcam"));
		assertThrows(IllegalArgumentException.class,
				() -> MediaSources.check(org.felund.api.call.MediaSource.Kind.CAMERA, "pattern:9x9@99"));
	}

	private static int peak(short[] frame) {
		int max = 0;
		for (short s : frame) {
			max = Math.max(max, Math.abs(s));
		}
		return max;
	}
}
