package org.felund.plugins.internal;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.core.ProvisionException;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepository;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepositoryManager;
import org.felund.plugins.PluginException;
import org.felund.plugins.PluginException.Reason;

/** Loads update sites through p2's repository manager and says clearly why one cannot be loaded. */
final class SiteLoader {
	private final IMetadataRepositoryManager metadata;

	SiteLoader(IProvisioningAgent agent) {
		this.metadata = agent.getService(IMetadataRepositoryManager.class);
	}

	/**
	 * Loads a site's metadata (cached by p2 while it is in use). A failed site is not remembered as missing, so
	 * the next try (after the server is started) goes to the network again.
	 */
	IMetadataRepository load(URI site, IProgressMonitor monitor) throws PluginException {
		if ("file".equals(site.getScheme())) {
			Path folder = Path.of(site);
			if (!Files.isDirectory(folder)) {
				throw new PluginException(Reason.NOT_A_SITE, "No update site at " + site + ": "
						+ (Files.exists(folder) ? "it is a file, not a folder" : "the folder does not exist"));
			}
		}
		boolean known = metadata.contains(site);
		if (!known) {
			// Clears p2's memory of an earlier failure at this location, so a retry really retries.
			metadata.addRepository(site);
		}
		try {
			return metadata.loadRepository(site, monitor);
		} catch (ProvisionException e) {
			metadata.removeRepository(site);
			throw explain(site, e);
		} catch (OperationCanceledException e) {
			if (!known) {
				metadata.removeRepository(site);
			}
			throw new PluginException(Reason.CANCELED, "Canceled while reading " + site);
		}
	}

	static PluginException explain(URI site, ProvisionException e) {
		IStatus status = e.getStatus();
		List<Throwable> causes = causes(status, e);
		for (Throwable t : causes) {
			if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
				return new PluginException(Reason.SITE_UNREACHABLE, "Cannot reach the site " + site + ": "
						+ "nothing answers at " + hostAndPort(site) + " (" + t.getMessage() + ")", e);
			}
			if (t instanceof UnknownHostException) {
				return new PluginException(Reason.SITE_UNREACHABLE, "Cannot reach the site " + site
						+ ": unknown host " + site.getHost(), e);
			}
			if (t instanceof SocketTimeoutException || t.getClass().getName().endsWith("TimeoutException")) {
				return new PluginException(Reason.SITE_UNREACHABLE, "Cannot reach the site " + site
						+ ": the server did not answer in time", e);
			}
		}
		String detail = firstMessage(status);
		if ("file".equals(site.getScheme())) {
			return new PluginException(Reason.NOT_A_SITE, "No update site at " + site
					+ ": the folder has no p2 repository (content.jar or content.xml)" + detailSuffix(detail), e);
		}
		return switch (status.getCode()) {
		case ProvisionException.REPOSITORY_FAILED_AUTHENTICATION -> new PluginException(Reason.NOT_A_SITE,
				"The site " + site + " asks for a login, which Felund does not support", e);
		case ProvisionException.REPOSITORY_NOT_FOUND, ProvisionException.REPOSITORY_UNKNOWN_TYPE,
				ProvisionException.REPOSITORY_INVALID_LOCATION ->
			new PluginException(Reason.NOT_A_SITE, "No update site at " + site + ": the server answered, but"
					+ " has no p2 repository there" + detailSuffix(detail), e);
		default -> {
			boolean missing = causes.stream().anyMatch(FileNotFoundException.class::isInstance);
			yield new PluginException(missing ? Reason.NOT_A_SITE : Reason.SITE_UNREACHABLE,
					"Cannot read the site " + site + detailSuffix(detail), e);
		}
		};
	}

	private static String hostAndPort(URI site) {
		int port = site.getPort() > 0 ? site.getPort() : "https".equals(site.getScheme()) ? 443 : 80;
		return site.getHost() + ":" + port;
	}

	private static String detailSuffix(String detail) {
		return detail.isEmpty() ? "" : " (" + detail + ")";
	}

	/** The innermost message of the status tree that says something. */
	static String firstMessage(IStatus status) {
		String found = "";
		for (IStatus child : status.getChildren()) {
			String m = firstMessage(child);
			if (!m.isEmpty()) {
				return m;
			}
		}
		if (status.getMessage() != null) {
			found = status.getMessage().strip();
		}
		return found;
	}

	static List<Throwable> causes(IStatus status, Throwable top) {
		List<Throwable> all = new ArrayList<>();
		addChain(all, top);
		addStatus(all, status);
		return all;
	}

	private static void addStatus(List<Throwable> all, IStatus status) {
		if (status == null) {
			return;
		}
		addChain(all, status.getException());
		for (IStatus child : status.getChildren()) {
			addStatus(all, child);
		}
	}

	private static void addChain(List<Throwable> all, Throwable t) {
		for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
			if (all.contains(t)) {
				return;
			}
			all.add(t);
			if (t instanceof ProvisionException pe) {
				addStatus(all, pe.getStatus());
			}
		}
	}
}
