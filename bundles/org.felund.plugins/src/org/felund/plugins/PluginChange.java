package org.felund.plugins;

/**
 * One feature or bundle that a plan adds, updates or removes.
 *
 * @param id its id
 * @param name its name, for people
 * @param fromVersion the version installed before, or empty when it is added
 * @param toVersion the version installed after, or empty when it is removed
 * @param isPlugin whether it is a plugin feature (the rest are the bundles and features it brings)
 */
public record PluginChange(String id, String name, String fromVersion, String toVersion, boolean isPlugin) {
	public enum Kind {
		ADD, UPDATE, REMOVE
	}

	public Kind kind() {
		if (fromVersion.isEmpty()) {
			return Kind.ADD;
		}
		return toVersion.isEmpty() ? Kind.REMOVE : Kind.UPDATE;
	}
}
