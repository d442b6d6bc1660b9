package org.felund.plugins;

/** Compares OSGi versions (major.minor.micro.qualifier) as p2 does. */
public final class PluginVersions {
	private PluginVersions() {
	}

	/** Negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}. */
	public static int compare(String a, String b) {
		String[] x = a.split("\\.", 4);
		String[] y = b.split("\\.", 4);
		for (int i = 0; i < 3; i++) {
			int c = Integer.compare(number(x, i), number(y, i));
			if (c != 0) {
				return c;
			}
		}
		return (x.length > 3 ? x[3] : "").compareTo(y.length > 3 ? y[3] : "");
	}

	/** Whether {@code a} is newer than {@code b}. */
	public static boolean newer(String a, String b) {
		return compare(a, b) > 0;
	}

	private static int number(String[] parts, int i) {
		if (i >= parts.length) {
			return 0;
		}
		try {
			return Integer.parseInt(parts[i]);
		} catch (NumberFormatException e) {
			return 0;
		}
	}
}
