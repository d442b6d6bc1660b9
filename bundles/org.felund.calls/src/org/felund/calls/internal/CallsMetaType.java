package org.felund.calls.internal;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.felund.api.call.CallService;
import org.felund.api.call.MediaSource;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeProvider;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The calls settings' description (PID {@value CallsSettings#PID}), made by code rather than an XML file because the
 * microphones, speakers and cameras to choose from are the ones found when the settings are shown, and because the
 * source names are checked by the plugin's own rules.
 */
final class CallsMetaType implements MetaTypeProvider {
	private final Supplier<List<MediaSource>> sources;

	/** @param sources the sources found now (asked each time the description is made) */
	CallsMetaType(Supplier<List<MediaSource>> sources) {
		this.sources = sources;
	}

	@Override
	public String[] getLocales() {
		return null;
	}

	@Override
	public ObjectClassDefinition getObjectClassDefinition(String id, String locale) {
		if (!CallsSettings.PID.equals(id)) {
			return null;
		}
		List<MediaSource> found = sources.get();
		List<AttributeDefinition> ads = new ArrayList<>();
		ads.add(source(CallsSettings.MICROPHONE, "Microphone", MediaSource.Kind.MICROPHONE, found,
				"What you send. The test tone and the test beeps (every second, for measuring delay) help to check a setup."));
		ads.add(source(CallsSettings.SPEAKER, "Speaker", MediaSource.Kind.SPEAKER, found, "Where the others are heard."));
		ads.add(source(CallsSettings.CAMERA, "Camera", MediaSource.Kind.CAMERA, found,
				"Without a camera, calls are audio only. The test pattern shows a moving bar."));
		ads.add(new Ad(CallsSettings.CAMERA_ON_JOIN, "Camera on when joining", AttributeDefinition.BOOLEAN, "true",
				"Send video from the start (when there is a camera); the call view turns it on and off."));
		ads.add(new Ad(CallsSettings.VIEWER_CAP, "Viewers of a broadcast", AttributeDefinition.INTEGER,
				String.valueOf(CallService.DEFAULT_VIEWER_CAP),
				"How many viewers your calls send to (1 to 64). Every viewer is one more upload of your audio and video; "
						+ "the web client's limit is 6.") {
			@Override
			public String validate(String value) {
				return range(value, 1, 64);
			}
		});
		ads.add(new Ad(CallsSettings.RELAY_URL, "Signaling relay", AttributeDefinition.STRING, "",
				"The relay whose /v1/signal mailbox carries offers and answers. Empty: the relay your relay transport uses."));
		ads.add(new Ad(CallsSettings.ICE_SERVERS, "STUN/TURN servers", AttributeDefinition.STRING, "",
				"ICE server URLs, one per line, e.g. stun:stun.example.org:3478 or turn:turn.example.org:3478?transport=udp. "
						+ "A TURN server relays calls between members who cannot reach each other directly.",
				20));
		ads.add(new Ad(CallsSettings.ICE_USERNAME, "TURN user", AttributeDefinition.STRING, "",
				"User name for the TURN servers above."));
		ads.add(new Ad(CallsSettings.ICE_CREDENTIAL, "TURN credential", AttributeDefinition.PASSWORD, "",
				"Password for the TURN servers above."));
		ads.add(new Ad(CallsSettings.PORT_MIN, "Lowest UDP port", AttributeDefinition.INTEGER, "0",
				"Lowest local UDP port for media (0: any). Give both ends of the range to open only it in a firewall.") {
			@Override
			public String validate(String value) {
				return range(value, 0, 65535);
			}
		});
		ads.add(new Ad(CallsSettings.PORT_MAX, "Highest UDP port", AttributeDefinition.INTEGER, "0",
				"Highest local UDP port for media (0: any).") {
			@Override
			public String validate(String value) {
				return range(value, 0, 65535);
			}
		});
		ads.add(new Ad(CallsSettings.LOOPBACK, "Same machine only (loopback)", AttributeDefinition.BOOLEAN, "false",
				"Call only peers on this machine, over 127.0.0.1 (for tests and machines without a network)."));
		ads.add(new Ad(CallsSettings.AUDIO_MODE, "Audio devices", AttributeDefinition.STRING, "system",
				"The sound system (virtual devices where there is none), or virtual devices only (a server).", 0,
				new String[] { "system", "virtual" }, new String[] { "Sound system", "Virtual devices only" }));
		ads.add(new Ad(CallsSettings.HOST_TIMEOUT, "Host gone after (seconds)", AttributeDefinition.INTEGER, "180",
				"A call ends here when its host has not been heard of for this long (10 to 86400); it comes back if the host does.") {
			@Override
			public String validate(String value) {
				return range(value, 10, 86_400);
			}
		});
		return new Ocd(ads.toArray(AttributeDefinition[]::new));
	}

	private static AttributeDefinition source(String id, String name, MediaSource.Kind kind, List<MediaSource> found,
			String description) {
		List<String> values = new ArrayList<>();
		List<String> labels = new ArrayList<>();
		for (MediaSource s : found) {
			if (s.kind() == kind && !values.contains(s.id())) {
				values.add(s.id());
				labels.add(s.label());
			}
		}
		return new Ad(id, name, AttributeDefinition.STRING, "default", description, 0, values.toArray(String[]::new),
				labels.toArray(String[]::new)) {
			@Override
			public String validate(String value) {
				try {
					MediaSources.check(kind, value);
					return "";
				} catch (IllegalArgumentException e) {
					return e.getMessage();
				}
			}
		};
	}

	private static String range(String value, int min, int max) {
		try {
			int v = Integer.parseInt(value.strip());
			return v < min || v > max ? "must be " + min + " to " + max : "";
		} catch (NumberFormatException e) {
			return "must be a whole number";
		}
	}

	private record Ocd(AttributeDefinition[] ads) implements ObjectClassDefinition {
		@Override
		public String getName() {
			return "Calls";
		}

		@Override
		public String getID() {
			return CallsSettings.PID;
		}

		@Override
		public String getDescription() {
			return "Audio and video calls with the members of a circle, and broadcasts to viewers. Media travels directly "
					+ "between members (WebRTC), signaled through the relay; a TURN server helps where that is blocked.";
		}

		@Override
		public AttributeDefinition[] getAttributeDefinitions(int filter) {
			return filter == OPTIONAL ? new AttributeDefinition[0] : ads.clone();
		}

		@Override
		public InputStream getIcon(int size) {
			return null;
		}
	}

	private static class Ad implements AttributeDefinition {
		private final String id;
		private final String name;
		private final int type;
		private final String defaultValue;
		private final String description;
		private final int cardinality;
		private final String[] optionValues;
		private final String[] optionLabels;

		Ad(String id, String name, int type, String defaultValue, String description) {
			this(id, name, type, defaultValue, description, 0, null, null);
		}

		Ad(String id, String name, int type, String defaultValue, String description, int cardinality) {
			this(id, name, type, defaultValue, description, cardinality, null, null);
		}

		Ad(String id, String name, int type, String defaultValue, String description, int cardinality,
				String[] optionValues, String[] optionLabels) {
			this.id = id;
			this.name = name;
			this.type = type;
			this.defaultValue = defaultValue;
			this.description = description;
			this.cardinality = cardinality;
			this.optionValues = optionValues;
			this.optionLabels = optionLabels;
		}

		@Override
		public String getName() {
			return name;
		}

		@Override
		public String getID() {
			return id;
		}

		@Override
		public String getDescription() {
			return description;
		}

		@Override
		public int getCardinality() {
			return cardinality;
		}

		@Override
		public int getType() {
			return type;
		}

		@Override
		public String[] getOptionValues() {
			return optionValues == null ? null : optionValues.clone();
		}

		@Override
		public String[] getOptionLabels() {
			return optionLabels == null ? null : optionLabels.clone();
		}

		@Override
		public String validate(String value) {
			return "";
		}

		@Override
		public String[] getDefaultValue() {
			return cardinality == 0 ? new String[] { defaultValue } : defaultValue.isEmpty() ? new String[0]
					: new String[] { defaultValue };
		}
	}
}
