package org.felund.api.call;

import java.util.Objects;

/**
 * A microphone, speaker or camera this node can use: a device, or a test source.
 *
 * @param kind what it is
 * @param id how settings and {@link CallService#selectSource} name it: {@code default}, {@code device:<name>}, or a
 *            test source ({@code tone:<hz>}, {@code beep:<hz>}, {@code silence}, {@code pattern:<w>x<h>@<fps>},
 *            {@code none})
 * @param label how people know it
 */
public record MediaSource(Kind kind, String id, String label) {
	public enum Kind {
		MICROPHONE, SPEAKER, CAMERA
	}

	public MediaSource {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(id, "id");
		label = label == null || label.isBlank() ? id : label;
	}
}
