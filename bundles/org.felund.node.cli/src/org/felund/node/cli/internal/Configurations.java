package org.felund.node.cli.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The plugins' configurations as the CLI edits them: one configuration per component (PID = component name),
 * described by the plugin's metatype. Implemented over OSGi Configuration Admin and the Metatype service
 * ({@link OsgiConfigurations}); a test gives its own.
 */
interface Configurations {
	/** Every PID that a plugin describes or that has a configuration, sorted. */
	List<String> pids();

	/** What the installed plugin says about a PID, empty when no installed plugin describes it. */
	Optional<Description> describe(String pid);

	/** The configuration's own values (no defaults), empty when there is none. */
	Map<String, Object> values(String pid);

	/** Replaces a configuration's values (an empty map deletes the configuration). */
	void replace(String pid, Map<String, Object> values);

	/** A plugin's description of its configuration. */
	record Description(String pid, String name, String description, List<Setting> settings) {
		Optional<Setting> setting(String key) {
			return settings.stream().filter(s -> s.key().equals(key)).findFirst();
		}
	}

	/**
	 * One key of a configuration.
	 *
	 * @param cardinality 0 for one value, otherwise how many values at most (metatype's absolute value)
	 * @param defaults the default values as text (empty for none)
	 * @param options the allowed values as text, empty when any value of the type is allowed
	 * @param check the plugin's own check of one value as text: null or "" when valid, else why not
	 */
	record Setting(String key, String name, String description, Type type, int cardinality, List<String> defaults,
			List<String> options, UnaryOperator<String> check) {
	}

	enum Type {
		STRING, LONG, INTEGER, SHORT, CHARACTER, BYTE, DOUBLE, FLOAT, BOOLEAN, PASSWORD
	}

	/** For runtimes without Configuration Admin: nothing is installed or configured. */
	Configurations NONE = new Configurations() {
		@Override
		public List<String> pids() {
			return List.of();
		}

		@Override
		public Optional<Description> describe(String pid) {
			return Optional.empty();
		}

		@Override
		public Map<String, Object> values(String pid) {
			return Map.of();
		}

		@Override
		public void replace(String pid, Map<String, Object> values) {
			throw new IllegalStateException("Configuration Admin is not running");
		}
	};
}
