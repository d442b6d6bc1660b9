package org.felund.calls.internal;

import java.util.List;

import org.felund.webrtc.AudioFeed;
import org.felund.webrtc.AudioMode;
import org.felund.webrtc.Natives;
import org.felund.webrtc.RtcFactory;

import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.audio.AudioDevice;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoDeviceSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSource;

/**
 * This node's microphone and camera for one call, as the settings (or the command line) name them. There is always an
 * audio track and a video track, so that every connection negotiates both: without a camera the video track is fed by
 * nothing and the call is audio only. A microphone that is a test source, and any microphone where there is no sound
 * system, goes through an {@link AudioFeed}. Used on the call's thread.
 */
final class LocalSources implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(LocalSources.class.getName());

	private final AudioFeed feed;
	private final AudioTrack audio;
	private final String audioLabel;
	private final VideoTrackSource videoSource;
	private final TestPattern pattern;
	private final VideoTrack video;
	private final String videoLabel;
	private final boolean cameraAvailable;
	private boolean muted;

	/**
	 * @param trackPrefix makes the track ids unique (the node id)
	 * @throws IllegalArgumentException for a source id that names nothing
	 */
	LocalSources(RtcFactory factory, String trackPrefix, String microphone, String speaker, String camera) {
		TestTone tone = SourceIds.tone(microphone);
		SourceIds.Camera cam = SourceIds.camera(camera);
		boolean sound = factory.audioMode() == AudioMode.SYSTEM;
		if (sound) {
			selectSpeaker(factory, SourceIds.device(speaker, "speaker"));
		}
		AudioFeed f = null;
		AudioTrackSource device = null;
		String label;
		if (tone != null || !sound) {
			TestTone generator = tone != null ? tone : new TestTone(TestTone.Shape.SILENCE, 0);
			f = factory.audioFeed(generator.label(), generator);
			audio = f.newTrack(trackPrefix + "-audio");
			label = tone != null ? generator.label() : "silence (no sound system)";
		} else {
			String wanted = SourceIds.device(microphone, "microphone");
			label = selectMicrophone(factory, wanted);
			AudioOptions options = new AudioOptions();
			options.echoCancellation = true;
			options.noiseSuppression = true;
			options.autoGainControl = true;
			options.highpassFilter = true;
			device = factory.factory().createAudioSource(options);
			audio = factory.factory().createAudioTrack(trackPrefix + "-audio", device);
		}
		this.feed = f;
		this.audioLabel = label;

		VideoTrackSource source;
		TestPattern testPattern = null;
		String vlabel = "";
		boolean available = false;
		if (cam.pattern()) {
			CustomVideoSource custom = new CustomVideoSource();
			testPattern = new TestPattern(cam.width(), cam.height(), cam.fps(), custom);
			source = custom;
			vlabel = testPattern.label();
			available = true;
		} else if (!cam.none()) {
			VideoDeviceSource opened = openCamera(cam);
			if (opened != null) {
				source = opened;
				vlabel = camera.startsWith(SourceIds.DEVICE) ? cam.device() : "camera";
				available = true;
			} else {
				source = new CustomVideoSource();
			}
		} else {
			source = new CustomVideoSource();
		}
		this.videoSource = source;
		this.pattern = testPattern;
		this.video = factory.factory().createVideoTrack(trackPrefix + "-video", source);
		this.videoLabel = vlabel;
		this.cameraAvailable = available;
	}

	private static void selectSpeaker(RtcFactory factory, String name) {
		if (name.isEmpty()) {
			return;
		}
		try {
			for (AudioDevice d : factory.audioDevices().getPlayoutDevices()) {
				if (d.getName().equals(name)) {
					factory.audioDevices().setPlayoutDevice(d);
					return;
				}
			}
			LOG.log(System.Logger.Level.WARNING, "speaker '" + name + "' not found; using the default one");
		} catch (RuntimeException | Error e) {
			if (e instanceof VirtualMachineError vm) {
				throw vm;
			}
			LOG.log(System.Logger.Level.WARNING, "cannot choose the speaker '" + name + "': " + e.getMessage());
		}
	}

	private static String selectMicrophone(RtcFactory factory, String name) {
		try {
			List<AudioDevice> devices = factory.audioDevices().getRecordingDevices();
			for (AudioDevice d : devices) {
				if (!name.isEmpty() && d.getName().equals(name)) {
					factory.audioDevices().setRecordingDevice(d);
					return d.getName();
				}
			}
			if (!name.isEmpty()) {
				LOG.log(System.Logger.Level.WARNING, "microphone '" + name + "' not found; using the default one");
			}
			return devices.isEmpty() ? "microphone" : devices.get(0).getName();
		} catch (RuntimeException | Error e) {
			if (e instanceof VirtualMachineError vm) {
				throw vm;
			}
			return "microphone";
		}
	}

	/** The named camera (or the first one) at the capability closest to 640x480 at 30 fps; null when none opens. */
	private static VideoDeviceSource openCamera(SourceIds.Camera cam) {
		try {
			List<VideoDevice> cameras = MediaDevices.getVideoCaptureDevices();
			VideoDevice chosen = null;
			for (VideoDevice d : cameras) {
				if (cam.device().isEmpty() || d.getName().equals(cam.device())) {
					chosen = d;
					break;
				}
			}
			if (chosen == null) {
				if (!cam.device().isEmpty()) {
					LOG.log(System.Logger.Level.WARNING, "camera '" + cam.device() + "' not found: audio only");
				}
				return null;
			}
			VideoDeviceSource source = new VideoDeviceSource();
			source.setVideoCaptureDevice(chosen);
			VideoCaptureCapability best = null;
			for (VideoCaptureCapability c : MediaDevices.getVideoCaptureCapabilities(chosen)) {
				if (best == null || distance(c, cam) < distance(best, cam)) {
					best = c;
				}
			}
			if (best != null) {
				source.setVideoCaptureCapability(best);
			}
			source.start();
			return source;
		} catch (RuntimeException | Error e) {
			if (e instanceof VirtualMachineError vm) {
				throw vm;
			}
			LOG.log(System.Logger.Level.WARNING, "the camera does not open (" + e.getMessage() + "): audio only");
			return null;
		}
	}

	private static long distance(VideoCaptureCapability c, SourceIds.Camera want) {
		return Math.abs((long) c.width * c.height - (long) want.width() * want.height()) + 1000L
				* Math.abs(c.frameRate - want.fps());
	}

	AudioTrack audio() {
		return audio;
	}

	VideoTrack video() {
		return video;
	}

	boolean cameraAvailable() {
		return cameraAvailable;
	}

	String audioLabel() {
		return audioLabel;
	}

	String videoLabel() {
		return videoLabel;
	}

	boolean muted() {
		return muted;
	}

	/** A feed sends silence; a device track is disabled. Neither renegotiates. */
	void setMuted(boolean mute) {
		muted = mute;
		if (feed != null) {
			feed.setMuted(mute);
		} else {
			audio.setEnabled(!mute);
		}
	}

	/** Level of what is sent, 0 to 1 (test sources only; 0 for a device). */
	double sentLevel() {
		return feed == null ? 0 : feed.level();
	}

	/** Remove the tracks from every connection first. */
	@Override
	public void close() {
		if (pattern != null) {
			pattern.close();
		}
		Natives.dispose(video);
		if (videoSource instanceof VideoDeviceSource d) {
			try {
				d.stop();
			} catch (RuntimeException | Error e) {
				if (e instanceof VirtualMachineError vm) {
					throw vm;
				}
			}
			d.dispose();
		} else if (videoSource instanceof CustomVideoSource c) {
			c.dispose();
		}
		if (feed != null) {
			feed.close();
		} else {
			// The device source has no dispose of its own: it goes with its track.
			Natives.dispose(audio);
		}
	}
}
