package org.felund.plugins;

import java.net.URI;
import java.util.List;

/**
 * Provisions Felund plugins into one p2 profile (normally the running product's own), from update sites.
 * <p>
 * Every method that changes something either completes or leaves the installation as it was: a wrong URL, an
 * unreachable site, an unknown plugin, a declined license, a failed download or a cancellation end in a
 * {@link PluginException} and change neither the profile nor the product's configuration. Calls are serialized:
 * one operation at a time per service.
 */
public interface PluginService {
	/**
	 * The p2 property of a plugin's feature group that makes it a Felund plugin. Its value is the comma-separated
	 * list of the products it is for ({@value #DESKTOP}, {@value #NODE}). A feature sets it in its {@code p2.inf}:
	 * {@code properties.0.name = org.felund.plugin.products}.
	 */
	String PRODUCTS_PROPERTY = "org.felund.plugin.products";
	/** The desktop workbench product. */
	String DESKTOP = "desktop";
	/** The headless node product ({@code felund-node}). */
	String NODE = "node";

	/** The product this service provisions ({@value #DESKTOP} or {@value #NODE}): which plugins it offers. */
	String product();

	/**
	 * The plugins installed for this product, by name.
	 *
	 * @throws PluginException when the product has no p2 profile to read
	 */
	List<InstalledPlugin> installed() throws PluginException;

	/** The configured sites: the default one first (set when the product was built), then those the user added. */
	List<PluginSite> sites();

	/**
	 * Checks that {@code url} is an update site (it is loaded, so a wrong or unreachable URL fails here) and adds
	 * it to the sites, persistently. Adding a configured site again changes nothing.
	 *
	 * @param url a {@code file:}, {@code http:} or {@code https:} URL, or an absolute local path
	 * @throws PluginException {@link PluginException.Reason#BAD_URL}, {@link PluginException.Reason#NOT_A_SITE},
	 *         {@link PluginException.Reason#SITE_UNREACHABLE} or {@link PluginException.Reason#CANCELED}
	 */
	PluginSite addSite(String url, PluginProgress progress) throws PluginException;

	/**
	 * Removes a site the user added.
	 *
	 * @throws PluginException {@link PluginException.Reason#BAD_URL} for a site that is not configured or is the
	 *         default one
	 */
	void removeSite(URI site) throws PluginException;

	/**
	 * The plugins for this product that the sites offer, newest version of each, by name.
	 *
	 * @param sites where to look; empty for the configured sites
	 * @throws PluginException when a site cannot be loaded (the message names it)
	 */
	List<AvailablePlugin> available(List<URI> sites, PluginProgress progress) throws PluginException;

	/**
	 * Resolves a change with p2 without changing anything: what would be added, updated and removed, and which
	 * licenses must be accepted first. A plan with no changes means there is nothing to do (already installed, up
	 * to date).
	 */
	PluginPlan plan(PluginRequest request, PluginProgress progress) throws PluginException;

	/**
	 * Applies a plan made by {@link #plan}: asks {@code prompts} to accept the licenses, downloads, asks again
	 * where p2 finds unsigned or untrusted content, commits the profile and, for the running product, applies the
	 * new configuration to the running framework where that is possible.
	 *
	 * @throws PluginException the installation is unchanged
	 */
	PluginResult apply(PluginPlan plan, PluginPrompts prompts, PluginProgress progress) throws PluginException;
}
