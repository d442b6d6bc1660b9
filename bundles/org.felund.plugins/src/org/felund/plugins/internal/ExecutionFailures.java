package org.felund.plugins.internal;

import java.io.IOException;
import java.util.List;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.equinox.p2.core.ProvisionException;
import org.felund.plugins.PluginException;
import org.felund.plugins.PluginException.Reason;
import org.felund.plugins.PluginRequest;

/** Turns the status of a failed p2 provisioning job into a clear {@link PluginException}. */
final class ExecutionFailures {
	/** p2's bundles that download artifacts: an error from them is a failed download. */
	private static final List<String> DOWNLOADERS = List.of("org.eclipse.equinox.p2.artifact.repository",
			"org.eclipse.equinox.p2.transport.ecf", "org.eclipse.equinox.p2.repository", "org.eclipse.ecf");

	private ExecutionFailures() {
	}

	static PluginException explain(PluginRequest request, IStatus status) {
		if (Boolean.getBoolean("felund.plugins.trace")) {
			trace(status, "");
		}
		String detail = SiteLoader.firstMessage(status);
		if (isDownload(status)) {
			return new PluginException(Reason.DOWNLOAD_FAILED, "Downloading " + request.pluginId() + " failed: "
					+ detail + "; nothing was changed");
		}
		return new PluginException(Reason.FAILED, "p2 could not " + request.action().name().toLowerCase(
				java.util.Locale.ROOT) + " " + request.pluginId() + ": " + detail + "; nothing was changed");
	}

	private static void trace(IStatus status, String indent) {
		System.err.println(indent + status.getPlugin() + " " + status.getCode() + " " + status.getMessage());
		if (status.getException() != null) {
			status.getException().printStackTrace();
		}
		for (IStatus child : status.getChildren()) {
			trace(child, indent + "  ");
		}
	}

	private static boolean isDownload(IStatus status) {
		if (status.getSeverity() == IStatus.ERROR && status.getPlugin() != null
				&& DOWNLOADERS.stream().anyMatch(status.getPlugin()::startsWith)) {
			return true;
		}
		int code = status.getCode();
		if (code >= ProvisionException.ARTIFACT_NOT_FOUND && code < ProvisionException.ARTIFACT_NOT_FOUND + 100) {
			return true;
		}
		if (status.getException() instanceof IOException) {
			return true;
		}
		for (IStatus child : status.getChildren()) {
			if (isDownload(child)) {
				return true;
			}
		}
		return false;
	}
}
