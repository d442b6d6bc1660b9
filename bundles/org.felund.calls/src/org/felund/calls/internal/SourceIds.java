package org.felund.calls.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of media sources in settings, on the command line and in {@code CallService.selectSource}:
 * <ul>
 * <li>microphone: {@code default} (the system's), {@code device:<name>}, {@code tone:<hz>}, {@code beep:<hz>},
 * {@code silence};</li>
 * <li>speaker: {@code default}, {@code device:<name>};</li>
 * <li>camera: {@code default} (the first camera, none when there is none), {@code device:<name>},
 * {@code pattern[:<w>x<h>[@<fps>]]}, {@code none}.</li>
 * </ul>
 */
final class SourceIds {
	static final String DEFAULT = "default";
	static final String DEVICE = "device:";
	static final String SILENCE = "silence";
	static final String NONE = "none";
	private static final Pattern PATTERN = Pattern.compile("pattern(?::(\\d+)x(\\d+)(?:@(\\d+))?)?");
	private static final Pattern TONE = Pattern.compile("(tone|beep):(\\d+(?:\\.\\d+)?)");

	private SourceIds() {
	}

	/** A camera source: a device, the test pattern, or none. */
	record Camera(String device, int width, int height, int fps, boolean pattern, boolean none) {
	}

	static String normalize(String id) {
		return id == null || id.isBlank() ? DEFAULT : id.strip();
	}

	/** @throws IllegalArgumentException naming what is wrong */
	static Camera camera(String raw) {
		String id = normalize(raw);
		String lower = id.toLowerCase(Locale.ROOT);
		if (lower.equals(DEFAULT)) {
			return new Camera("", 640, 480, 30, false, false);
		}
		if (lower.equals(NONE)) {
			return new Camera("", 0, 0, 0, false, true);
		}
		if (lower.startsWith(DEVICE)) {
			return new Camera(id.substring(DEVICE.length()), 640, 480, 30, false, false);
		}
		Matcher m = PATTERN.matcher(lower);
		if (m.matches()) {
			int w = m.group(1) == null ? 640 : Integer.parseInt(m.group(1));
			int h = m.group(2) == null ? 480 : Integer.parseInt(m.group(2));
			int fps = m.group(3) == null ? 30 : Integer.parseInt(m.group(3));
			return new Camera("", w, h, fps, true, false);
		}
		throw new IllegalArgumentException("Unknown camera '" + id
				+ "': use default, none, device:<name> or pattern[:<width>x<height>[@<fps>]]");
	}

	/** A microphone that is a test tone, or null for {@code default} and devices. */
	static TestTone tone(String raw) {
		String id = normalize(raw).toLowerCase(Locale.ROOT);
		if (id.equals(SILENCE)) {
			return new TestTone(TestTone.Shape.SILENCE, 0);
		}
		Matcher m = TONE.matcher(id);
		if (m.matches()) {
			return new TestTone(m.group(1).equals("tone") ? TestTone.Shape.TONE : TestTone.Shape.BEEP,
					Double.parseDouble(m.group(2)));
		}
		if (id.equals(DEFAULT) || id.startsWith(DEVICE)) {
			return null;
		}
		throw new IllegalArgumentException("Unknown microphone '" + raw
				+ "': use default, device:<name>, tone:<hz>, beep:<hz> or silence");
	}

	/** The device name of {@code device:<name>}, or "" for {@code default}. */
	static String device(String raw, String what) {
		String id = normalize(raw);
		if (id.equalsIgnoreCase(DEFAULT)) {
			return "";
		}
		if (id.toLowerCase(Locale.ROOT).startsWith(DEVICE)) {
			return id.substring(DEVICE.length());
		}
		throw new IllegalArgumentException("Unknown " + what + " '" + raw + "': use default or device:<name>");
	}
}
