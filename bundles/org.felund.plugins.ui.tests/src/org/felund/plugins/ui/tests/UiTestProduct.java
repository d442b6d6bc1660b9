package org.felund.plugins.ui.tests;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.core.IProvisioningAgentProvider;
import org.eclipse.equinox.p2.engine.IProfile;
import org.eclipse.equinox.p2.engine.IProfileRegistry;
import org.eclipse.equinox.p2.engine.ProvisioningContext;
import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.operations.InstallOperation;
import org.eclipse.equinox.p2.operations.ProvisioningSession;
import org.eclipse.equinox.p2.query.IQueryResult;
import org.eclipse.equinox.p2.query.QueryUtil;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepository;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepositoryManager;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The desktop product the dialog works on: made from the reactor's products repository, as p2's director makes the
 * real one (the product and its root features), at the p2 agent location and profile the plugin service is
 * configured with ({@code felund.plugins.agent}, {@code felund.plugins.profile}). Made before the workbench boots, so
 * that the service finds it when the dialog first asks.
 */
final class UiTestProduct {
	private UiTestProduct() {
	}

	/** Makes the product; returns its folder. */
	static Path make() throws Exception {
		URI agentLocation = URI.create(System.getProperty("felund.plugins.agent"));
		String profileId = System.getProperty("felund.plugins.profile");
		Path products = Path.of(System.getProperty("felund.products.repository"));
		Path product = Path.of(agentLocation).getParent().resolve("product");
		Files.createDirectories(product);
		IProvisioningAgent agent = provider().createAgent(agentLocation);
		try {
			IProfile profile = agent.getService(IProfileRegistry.class).addProfile(profileId, Map.of( //
					IProfile.PROP_INSTALL_FOLDER, product.toString(), //
					IProfile.PROP_CACHE, product.toString(), //
					IProfile.PROP_ENVIRONMENTS, "osgi.os=linux,osgi.ws=gtk,osgi.arch=x86_64,osgi.nl=en", //
					IProfile.PROP_ROAMING, "true", //
					"org.eclipse.update.install.features", "true"));
			IMetadataRepositoryManager metadata = agent.getService(IMetadataRepositoryManager.class);
			IMetadataRepository repository = metadata.loadRepository(products.toUri(), new NullProgressMonitor());
			List<IInstallableUnit> roots = new ArrayList<>();
			for (String id : new String[] { "org.felund.desktop", "org.felund.transport.gossip.feature.feature.group" }) {
				IQueryResult<IInstallableUnit> found = repository
						.query(QueryUtil.createLatestQuery(QueryUtil.createIUQuery(id)), null);
				roots.add(found.iterator().next());
			}
			InstallOperation install = new InstallOperation(new ProvisioningSession(agent), roots);
			install.setProfileId(profile.getProfileId());
			ProvisioningContext context = new ProvisioningContext(agent);
			context.setMetadataRepositories(products.toUri());
			context.setArtifactRepositories(products.toUri());
			install.setProvisioningContext(context);
			if (install.resolveModal(new NullProgressMonitor()).getSeverity() == IStatus.ERROR) {
				throw new IllegalStateException("Cannot make the desktop product: " + install.getResolutionDetails());
			}
			IStatus done = install.getProvisioningJob(new NullProgressMonitor()).runModal(new NullProgressMonitor());
			if (done.getSeverity() == IStatus.ERROR) {
				throw new IllegalStateException("Cannot make the desktop product: " + done, done.getException());
			}
			metadata.removeRepository(products.toUri());
		} finally {
			agent.stop();
		}
		return product;
	}

	private static IProvisioningAgentProvider provider() throws InterruptedException {
		BundleContext bc = FrameworkUtil.getBundle(UiTestProduct.class).getBundleContext();
		ServiceTracker<IProvisioningAgentProvider, IProvisioningAgentProvider> tracker = new ServiceTracker<>(bc,
				IProvisioningAgentProvider.class, null);
		tracker.open();
		IProvisioningAgentProvider provider = tracker.waitForService(30_000);
		tracker.close();
		if (provider == null) {
			throw new IllegalStateException("p2's agent provider is not running");
		}
		return provider;
	}
}
