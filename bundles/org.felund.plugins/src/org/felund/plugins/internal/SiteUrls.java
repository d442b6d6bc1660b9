package org.felund.plugins.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

import org.felund.plugins.PluginException;
import org.felund.plugins.PluginException.Reason;

/** Turns what a user typed into the URL of an update site, or says clearly why it is not one. */
final class SiteUrls {
	private SiteUrls() {
	}

	static URI parse(String text) throws PluginException {
		String t = text == null ? "" : text.strip();
		if (t.isEmpty()) {
			throw new PluginException(Reason.BAD_URL, "No site URL given");
		}
		if (t.startsWith("/")) {
			try {
				return withSlash(Path.of(t).normalize().toUri());
			} catch (InvalidPathException e) {
				throw new PluginException(Reason.BAD_URL, "'" + t + "' is not a usable path: " + e.getReason());
			}
		}
		URI uri;
		try {
			uri = new URI(t);
		} catch (URISyntaxException e) {
			throw new PluginException(Reason.BAD_URL, "'" + t + "' is not a URL (" + e.getReason() + " at index "
					+ e.getIndex() + "); a site URL looks like http://host:port/site/ or file:/path/to/site/");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		switch (scheme) {
		case "http", "https" -> {
			if (uri.getHost() == null || uri.getHost().isEmpty()) {
				throw new PluginException(Reason.BAD_URL, "'" + t + "' names no host; a site URL looks like "
						+ scheme + "://host:port/site/");
			}
			if (uri.getRawUserInfo() != null) {
				throw new PluginException(Reason.BAD_URL, "'" + t + "' carries a user name or password; Felund"
						+ " reads sites without logging in");
			}
		}
		case "file" -> {
			if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
				throw new PluginException(Reason.BAD_URL, "'" + t + "' is not an absolute file URL; use"
						+ " file:/path/to/site/");
			}
		}
		case "" -> throw new PluginException(Reason.BAD_URL, "'" + t + "' has no scheme; a site URL starts"
				+ " with http://, https:// or file:/");
		default -> throw new PluginException(Reason.BAD_URL, "'" + t + "' uses " + scheme + ":, but a site is"
				+ " read over http:, https: or file:");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw new PluginException(Reason.BAD_URL, "'" + t + "' has a query or fragment; a site URL names"
					+ " the site's folder");
		}
		return withSlash(uri.normalize());
	}

	/** p2 resolves content.jar and friends against the site, so a site URL names a folder. */
	private static URI withSlash(URI uri) {
		String s = uri.toString();
		if (s.endsWith("/")) {
			return uri;
		}
		return URI.create(s + "/");
	}
}
