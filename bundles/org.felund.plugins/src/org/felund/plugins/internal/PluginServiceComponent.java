package org.felund.plugins.internal;

import java.net.URI;
import java.util.Collection;
import java.util.List;

import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.core.IProvisioningAgentProvider;
import org.eclipse.equinox.p2.core.ProvisionException;
import org.eclipse.equinox.p2.engine.IProfileRegistry;
import org.felund.plugins.AvailablePlugin;
import org.felund.plugins.InstalledPlugin;
import org.felund.plugins.PluginException;
import org.felund.plugins.PluginException.Reason;
import org.felund.plugins.PluginPlan;
import org.felund.plugins.PluginProgress;
import org.felund.plugins.PluginPrompts;
import org.felund.plugins.PluginRequest;
import org.felund.plugins.PluginResult;
import org.felund.plugins.PluginService;
import org.felund.plugins.PluginSite;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link PluginService} of the running product. It provisions the product's own p2 profile (framework property
 * {@code eclipse.p2.profile}, in the p2 agent of {@code eclipse.p2.data.area}) and applies changes to the running
 * framework. Framework properties, all optional:
 * <ul>
 * <li>{@code felund.plugins.product}: {@code desktop} or {@code node}, which plugins to offer (default: desktop when
 * the e4 workbench is installed, node otherwise);</li>
 * <li>{@code felund.plugins.defaultSite}: the default update site, set when the product is built;</li>
 * <li>{@code felund.plugins.live}: false leaves the running framework alone (the change takes effect at the next
 * start; {@code felund-node plugins} runs so, next to running nodes);</li>
 * <li>{@code felund.plugins.agent} and {@code felund.plugins.profile}: another p2 agent location and profile to
 * provision instead (tests), never applied to the running framework.</li>
 * </ul>
 * The p2 agent is looked up on first use, so the component costs nothing until someone asks.
 */
@Component(service = PluginService.class)
public final class PluginServiceComponent implements PluginService {
	@Reference
	IProvisioningAgentProvider agents;

	private BundleContext context;
	private P2PluginService delegate;
	private IProvisioningAgent ownAgent;

	@Activate
	void activate(BundleContext bundleContext) {
		this.context = bundleContext;
	}

	@Deactivate
	synchronized void deactivate() {
		if (delegate != null) {
			delegate.close();
			delegate = null;
		}
		if (ownAgent != null) {
			ownAgent.stop();
			ownAgent = null;
		}
	}

	private synchronized P2PluginService service() throws PluginException {
		if (delegate == null) {
			delegate = create();
		}
		return delegate;
	}

	private P2PluginService create() throws PluginException {
		String product = property("felund.plugins.product");
		if (product.isEmpty()) {
			product = hasWorkbench() ? DESKTOP : NODE;
		}
		URI defaultSite = null;
		String site = property("felund.plugins.defaultSite");
		if (!site.isEmpty()) {
			try {
				defaultSite = SiteUrls.parse(site);
			} catch (PluginException e) {
				throw new PluginException(Reason.BAD_URL, "Framework property felund.plugins.defaultSite: "
						+ e.getMessage());
			}
		}
		String location = property("felund.plugins.agent");
		if (!location.isEmpty()) {
			try {
				ownAgent = agents.createAgent(SiteUrls.parse(location));
			} catch (ProvisionException e) {
				throw new PluginException(Reason.FAILED, "Cannot open the p2 agent at " + location + ": "
						+ e.getMessage(), e);
			}
			String profile = property("felund.plugins.profile");
			return new P2PluginService(ownAgent, profile.isEmpty() ? IProfileRegistry.SELF : profile, product,
					defaultSite, null);
		}
		IProvisioningAgent agent = currentAgent();
		String running = property("eclipse.p2.profile");
		String profile = property("felund.plugins.profile");
		boolean isRunning = profile.isEmpty() || profile.equals(running) || profile.equals(IProfileRegistry.SELF);
		boolean live = !"false".equalsIgnoreCase(property("felund.plugins.live"));
		return new P2PluginService(agent, profile.isEmpty() ? IProfileRegistry.SELF : profile, product, defaultSite,
				isRunning && live ? context : null);
	}

	private IProvisioningAgent currentAgent() throws PluginException {
		try {
			Collection<ServiceReference<IProvisioningAgent>> refs = context
					.getServiceReferences(IProvisioningAgent.class, "(" + IProvisioningAgent.SERVICE_CURRENT + "=true)");
			for (ServiceReference<IProvisioningAgent> ref : refs) {
				IProvisioningAgent agent = context.getService(ref);
				if (agent != null) {
					return agent;
				}
			}
		} catch (InvalidSyntaxException e) {
			throw new IllegalStateException(e);
		}
		throw new PluginException(Reason.FAILED, "This product runs without a p2 agent (framework property"
				+ " eclipse.p2.data.area), so it cannot install plugins");
	}

	private boolean hasWorkbench() {
		for (var b : context.getBundles()) {
			if ("org.eclipse.e4.ui.workbench".equals(b.getSymbolicName())) {
				return true;
			}
		}
		return false;
	}

	private String property(String key) {
		String v = context.getProperty(key);
		return v == null ? "" : v.strip();
	}

	// ---------------------------------------------------------------- delegation

	@Override
	public String product() {
		try {
			return service().product();
		} catch (PluginException e) {
			String p = property("felund.plugins.product");
			return p.isEmpty() ? (hasWorkbench() ? DESKTOP : NODE) : p;
		}
	}

	@Override
	public List<InstalledPlugin> installed() throws PluginException {
		return service().installed();
	}

	@Override
	public List<PluginSite> sites() {
		try {
			return service().sites();
		} catch (PluginException e) {
			return List.of();
		}
	}

	@Override
	public PluginSite addSite(String url, PluginProgress progress) throws PluginException {
		return service().addSite(url, progress);
	}

	@Override
	public void removeSite(URI site) throws PluginException {
		service().removeSite(site);
	}

	@Override
	public List<AvailablePlugin> available(List<URI> sites, PluginProgress progress) throws PluginException {
		return service().available(sites, progress);
	}

	@Override
	public PluginPlan plan(PluginRequest request, PluginProgress progress) throws PluginException {
		return service().plan(request, progress);
	}

	@Override
	public PluginResult apply(PluginPlan plan, PluginPrompts prompts, PluginProgress progress)
			throws PluginException {
		return service().apply(plan, prompts, progress);
	}
}
