package org.felund.plugins;

/** Why a plugin operation did not happen. The installation is unchanged. */
public class PluginException extends Exception {
	private static final long serialVersionUID = 1L;

	public enum Reason {
		/** Not a URL of an update site (wrong syntax or scheme, or a site that is not configured). */
		BAD_URL,
		/** The site's host or server cannot be reached. */
		SITE_UNREACHABLE,
		/** Something answered at the URL, but it is not an update site. */
		NOT_A_SITE,
		/** No site offers a plugin with that id for this product. */
		UNKNOWN_PLUGIN,
		/** The plugin is not installed (update, uninstall). */
		NOT_INSTALLED,
		/** p2 cannot find a consistent set of bundles for the change; the message says what is missing. */
		UNRESOLVABLE,
		/** Downloading the plugin failed. */
		DOWNLOAD_FAILED,
		/** The user did not accept a license. */
		LICENSE_DECLINED,
		/** The user did not trust unsigned or untrusted content. */
		TRUST_DECLINED,
		/** Canceled through the progress. */
		CANCELED,
		/** Anything else (the message says what); the plan was not applied. */
		FAILED
	}

	private final Reason reason;

	public PluginException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public PluginException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	public Reason reason() {
		return reason;
	}
}
