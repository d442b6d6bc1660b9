package org.felund.plugins.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
import org.felund.plugins.PluginService;
import org.felund.plugins.internal.P2PluginService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A product of the tests' own, made from the products repository the reactor built as p2's director makes the real
 * ones (the product and its root features into a fresh profile in a temporary folder), and the plugin service on it
 * (not applied to the test framework). What gets installed lands in {@code product/plugins} and
 * {@code product/configuration}, as in a real product.
 */
final class TestProduct implements AutoCloseable {
	static final String PROFILE = "FelundTest";
	/** The update site the reactor built. */
	static final Path SITE = Path.of(System.getProperty("felund.site", "../../releng/org.felund.site/target/repository"))
			.toAbsolutePath().normalize();
	/** The repository the reactor materialized the products from. */
	static final Path PRODUCTS = Path.of(System.getProperty("felund.products.repository",
			"../../releng/org.felund.products/target/repository")).toAbsolutePath().normalize();

	final Path product;
	final IProvisioningAgent agent;
	final P2PluginService plugins;

	private TestProduct(Path product, IProvisioningAgent agent, P2PluginService plugins) {
		this.product = product;
		this.agent = agent;
		this.plugins = plugins;
	}

	/**
	 * The desktop product ({@code org.felund.desktop}, made with the gossip transport, without the relay) in
	 * {@code dir}, offering the plugins for {@code productKind}, with {@code defaultSite} as its default site.
	 */
	static TestProduct create(Path dir, String productKind, URI defaultSite) throws Exception {
		for (Path repository : new Path[] { SITE, PRODUCTS }) {
			if (!Files.isRegularFile(repository.resolve("content.jar"))) {
				throw new IllegalStateException("No p2 repository at " + repository
						+ ": build releng/org.felund.site and releng/org.felund.products first");
			}
		}
		Path product = dir.resolve("product");
		Files.createDirectories(product);
		IProvisioningAgent agent = agentAt(dir.resolve("p2").toUri());
		IProfile profile = agent.getService(IProfileRegistry.class).addProfile(PROFILE, Map.of( //
				IProfile.PROP_INSTALL_FOLDER, product.toString(), //
				IProfile.PROP_CACHE, product.toString(), //
				IProfile.PROP_ENVIRONMENTS, "osgi.os=linux,osgi.ws=gtk,osgi.arch=x86_64,osgi.nl=en", //
				IProfile.PROP_ROAMING, "true", //
				"org.eclipse.update.install.features", "true"));
		materialize(agent, profile, "org.felund.desktop", "org.felund.transport.gossip.feature.feature.group");
		return new TestProduct(product, agent, new P2PluginService(agent, PROFILE, productKind, defaultSite, null));
	}

	/** Installs the product and its root features, as tycho-p2-director-plugin does for the real products. */
	private static void materialize(IProvisioningAgent agent, IProfile profile, String... roots) throws Exception {
		IMetadataRepositoryManager metadata = agent.getService(IMetadataRepositoryManager.class);
		IMetadataRepository repository = metadata.loadRepository(PRODUCTS.toUri(), null);
		List<IInstallableUnit> units = new ArrayList<>();
		for (String id : roots) {
			IQueryResult<IInstallableUnit> found = repository.query(QueryUtil.createLatestQuery(QueryUtil.createIUQuery(id)),
					null);
			if (found.isEmpty()) {
				throw new IllegalStateException(id + " is not in " + PRODUCTS);
			}
			units.add(found.iterator().next());
		}
		InstallOperation install = new InstallOperation(new ProvisioningSession(agent), units);
		install.setProfileId(profile.getProfileId());
		ProvisioningContext context = new ProvisioningContext(agent);
		context.setMetadataRepositories(PRODUCTS.toUri());
		context.setArtifactRepositories(PRODUCTS.toUri());
		install.setProvisioningContext(context);
		IStatus resolved = install.resolveModal(new NullProgressMonitor());
		if (resolved.getSeverity() == IStatus.ERROR) {
			throw new IllegalStateException("Cannot make the test product: " + install.getResolutionDetails());
		}
		IStatus done = install.getProvisioningJob(new NullProgressMonitor()).runModal(new NullProgressMonitor());
		if (done.getSeverity() == IStatus.ERROR) {
			throw new IllegalStateException("Cannot make the test product: " + done, done.getException());
		}
		metadata.removeRepository(PRODUCTS.toUri());
	}

	static IProvisioningAgent agentAt(URI location) throws Exception {
		BundleContext bc = FrameworkUtil.getBundle(TestProduct.class).getBundleContext();
		ServiceTracker<IProvisioningAgentProvider, IProvisioningAgentProvider> tracker = new ServiceTracker<>(bc,
				IProvisioningAgentProvider.class, null);
		tracker.open();
		try {
			IProvisioningAgentProvider provider = tracker.waitForService(30_000);
			if (provider == null) {
				throw new IllegalStateException("p2's agent provider is not running");
			}
			return provider.createAgent(location);
		} finally {
			tracker.close();
		}
	}

	PluginService service() {
		return plugins;
	}

	IProfile profile() {
		return agent.getService(IProfileRegistry.class).getProfile(PROFILE);
	}

	/** Everything an install changes: the profile state, the configuration, the files of the product. */
	record State(long profileTimestamp, Set<String> units, String bundlesInfo, Set<String> files) {
	}

	State state() {
		IProfile profile = profile();
		Set<String> units = new TreeSet<>();
		for (IInstallableUnit iu : profile.query(QueryUtil.ALL_UNITS, null)) {
			units.add(iu.getId() + " " + iu.getVersion());
		}
		return new State(profile.getTimestamp(), units, bundlesInfo(), files());
	}

	String bundlesInfo() {
		Path info = product.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info");
		try {
			return Files.isRegularFile(info) ? Files.readString(info) : "";
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The bundle and feature files in the product (names only). */
	Set<String> files() {
		Set<String> names = new TreeSet<>();
		for (String folder : new String[] { "plugins", "features" }) {
			Path dir = product.resolve(folder);
			if (Files.isDirectory(dir)) {
				try (Stream<Path> list = Files.list(dir)) {
					names.addAll(list.map(p -> folder + "/" + p.getFileName()).collect(Collectors.toSet()));
				} catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			}
		}
		return names;
	}

	@Override
	public void close() {
		plugins.close();
		agent.stop();
	}
}
