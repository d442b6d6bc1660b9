package org.felund.calls.internal;

import java.util.ArrayList;
import java.util.List;

import org.felund.api.call.MediaSource;
import org.felund.webrtc.AudioMode;
import org.felund.webrtc.RtcFactory;
import org.felund.webrtc.RtcRuntime;
import org.felund.webrtc.RtcUnavailableException;

import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.audio.AudioDevice;
import dev.onvoid.webrtc.media.video.VideoDevice;

/** The sources a node can choose from: the devices found now, and the test sources. */
final class MediaSources {
	private MediaSources() {
	}

	/** Devices (when WebRTC runs here), then the test sources; the first of each kind is the default. */
	static List<MediaSource> list(RtcRuntime runtime, AudioMode mode) {
		List<MediaSource> out = new ArrayList<>();
		out.add(new MediaSource(MediaSource.Kind.MICROPHONE, SourceIds.DEFAULT, "System default"));
		out.add(new MediaSource(MediaSource.Kind.SPEAKER, SourceIds.DEFAULT, "System default"));
		out.add(new MediaSource(MediaSource.Kind.CAMERA, SourceIds.DEFAULT, "First camera (none: audio only)"));
		try (RtcFactory factory = runtime.factory(mode)) {
			if (factory.audioMode() == AudioMode.SYSTEM) {
				for (AudioDevice d : factory.audioDevices().getRecordingDevices()) {
					out.add(new MediaSource(MediaSource.Kind.MICROPHONE, SourceIds.DEVICE + d.getName(), d.getName()));
				}
				for (AudioDevice d : factory.audioDevices().getPlayoutDevices()) {
					out.add(new MediaSource(MediaSource.Kind.SPEAKER, SourceIds.DEVICE + d.getName(), d.getName()));
				}
			}
			for (VideoDevice d : MediaDevices.getVideoCaptureDevices()) {
				out.add(new MediaSource(MediaSource.Kind.CAMERA, SourceIds.DEVICE + d.getName(), d.getName()));
			}
		} catch (RtcUnavailableException | RuntimeException | LinkageError e) {
			System.getLogger(MediaSources.class.getName()).log(System.Logger.Level.INFO,
					"no devices listed: " + e.getMessage());
		}
		out.add(new MediaSource(MediaSource.Kind.MICROPHONE, "tone:440", "Test tone, 440 Hz"));
		out.add(new MediaSource(MediaSource.Kind.MICROPHONE, "beep:880", "Test beeps, 880 Hz, every second"));
		out.add(new MediaSource(MediaSource.Kind.MICROPHONE, SourceIds.SILENCE, "Silence"));
		out.add(new MediaSource(MediaSource.Kind.CAMERA, "pattern:640x480@30", "Test pattern, 640x480, 30 fps"));
		out.add(new MediaSource(MediaSource.Kind.CAMERA, SourceIds.NONE, "No camera (audio only)"));
		return out;
	}

	/** @throws IllegalArgumentException when the id names no source of that kind */
	static void check(MediaSource.Kind kind, String id) {
		if (id == null || id.isBlank()) {
			throw new IllegalArgumentException("Name a " + kind.name().toLowerCase(java.util.Locale.ROOT));
		}
		switch (kind) {
		case MICROPHONE -> SourceIds.tone(id);
		case SPEAKER -> SourceIds.device(id, "speaker");
		case CAMERA -> {
			SourceIds.Camera c = SourceIds.camera(id);
			if (c.pattern()) {
				new TestPatternCheck(c.width(), c.height(), c.fps());
			}
		}
		}
	}

	/** The size and rate checks of {@link TestPattern} without starting one. */
	private record TestPatternCheck(int width, int height, int fps) {
		TestPatternCheck {
			if (width < TestPattern.MIN_WIDTH || height < TestPattern.MIN_HEIGHT || width > 3840 || height > 2160
					|| width % 2 != 0 || height % 2 != 0 || fps < 1 || fps > 60) {
				throw new IllegalArgumentException("A test pattern is an even size from " + TestPattern.MIN_WIDTH + "x"
						+ TestPattern.MIN_HEIGHT + " to 3840x2160 at 1 to 60 fps, got " + width + "x" + height + "@"
						+ fps);
			}
		}
	}
}
