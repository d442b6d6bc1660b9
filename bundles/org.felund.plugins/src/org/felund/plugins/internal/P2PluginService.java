package org.felund.plugins.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.equinox.internal.p2.garbagecollector.GarbageCollector;
import org.eclipse.equinox.p2.core.IAgentLocation;
import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.core.ProvisionException;
import org.eclipse.equinox.p2.core.UIServices;
import org.eclipse.equinox.p2.engine.IProfile;
import org.eclipse.equinox.p2.engine.IProfileRegistry;
import org.eclipse.equinox.p2.engine.IProvisioningPlan;
import org.eclipse.equinox.p2.engine.ProvisioningContext;
import org.eclipse.equinox.p2.metadata.IArtifactKey;
import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.metadata.ILicense;
import org.eclipse.equinox.p2.operations.InstallOperation;
import org.eclipse.equinox.p2.operations.ProfileChangeOperation;
import org.eclipse.equinox.p2.operations.ProvisioningJob;
import org.eclipse.equinox.p2.operations.ProvisioningSession;
import org.eclipse.equinox.p2.operations.UninstallOperation;
import org.eclipse.equinox.p2.operations.UpdateOperation;
import org.eclipse.equinox.p2.query.IQueryResult;
import org.eclipse.equinox.p2.query.QueryUtil;
import org.eclipse.equinox.p2.repository.artifact.IArtifactRepository;
import org.eclipse.equinox.p2.repository.artifact.IArtifactRepositoryManager;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepository;
import org.felund.plugins.AvailablePlugin;
import org.felund.plugins.InstalledPlugin;
import org.felund.plugins.Plugin;
import org.felund.plugins.PluginChange;
import org.felund.plugins.PluginException;
import org.felund.plugins.PluginException.Reason;
import org.felund.plugins.PluginLicense;
import org.felund.plugins.PluginPlan;
import org.felund.plugins.PluginProgress;
import org.felund.plugins.PluginPrompts;
import org.felund.plugins.PluginRequest;
import org.felund.plugins.PluginResult;
import org.felund.plugins.PluginService;
import org.felund.plugins.PluginSite;
import org.felund.plugins.PluginVersions;

/**
 * The {@link PluginService} on p2's operations API, for one profile of one p2 agent. Built by the DS component for
 * the running product, and by tests for a profile of their own.
 */
public final class P2PluginService implements PluginService, AutoCloseable {
	private static final String SETTINGS_AREA = "org.felund.plugins";

	private final IProvisioningAgent agent;
	private final String profileId;
	private final String product;
	private final URI defaultSite;
	private final RunningProduct running;
	private final PluginSettings settings;
	private final SiteLoader loader;
	private final TrustQuestions trust = new TrustQuestions();
	private final Object previousUiServices;
	private Set<String> builtIn;

	/**
	 * @param profileId the profile to change ({@link IProfileRegistry#SELF} for the running one)
	 * @param product {@value PluginService#DESKTOP} or {@value PluginService#NODE}: which plugins to offer
	 * @param defaultSite the site set when the product was built, or null
	 * @param running the running product to apply changes to, or null when the profile is not the one running here
	 *        (or changes should wait for the next start)
	 */
	public P2PluginService(IProvisioningAgent agent, String profileId, String product, URI defaultSite,
			org.osgi.framework.BundleContext running) {
		this.agent = agent;
		this.profileId = profileId;
		this.product = product;
		this.defaultSite = defaultSite;
		this.running = running == null ? null : new RunningProduct(running);
		IAgentLocation location = agent.getService(IAgentLocation.class);
		this.settings = new PluginSettings(Path.of(location.getDataArea(SETTINGS_AREA)).resolve("plugins.properties"));
		this.loader = new SiteLoader(agent);
		this.previousUiServices = agent.getService(UIServices.SERVICE_NAME);
		agent.registerService(UIServices.SERVICE_NAME, trust);
	}

	@Override
	public void close() {
		if (agent.getService(UIServices.SERVICE_NAME) == trust) {
			agent.unregisterService(UIServices.SERVICE_NAME, trust);
			if (previousUiServices != null) {
				agent.registerService(UIServices.SERVICE_NAME, previousUiServices);
			}
		}
	}

	@Override
	public String product() {
		return product;
	}

	// ---------------------------------------------------------------- reading

	@Override
	public synchronized List<InstalledPlugin> installed() throws PluginException {
		IProfile profile = profile();
		Set<String> fromProduct = builtIn();
		List<InstalledPlugin> result = new ArrayList<>();
		for (IInstallableUnit iu : roots(profile)) {
			if (Features.isPluginFor(iu, product)) {
				result.add(new InstalledPlugin(Features.describe(iu, ""), fromProduct.contains(iu.getId())));
			}
		}
		result.sort(Comparator.comparing(InstalledPlugin::plugin, Features.BY_NAME));
		return result;
	}

	@Override
	public synchronized List<PluginSite> sites() {
		List<PluginSite> sites = new ArrayList<>();
		if (defaultSite != null) {
			sites.add(new PluginSite(defaultSite, "", true));
		}
		for (URI site : settings.sites()) {
			if (!site.equals(defaultSite)) {
				sites.add(new PluginSite(site, "", false));
			}
		}
		return sites;
	}

	@Override
	public synchronized PluginSite addSite(String url, PluginProgress progress) throws PluginException {
		URI site = SiteUrls.parse(url);
		IMetadataRepository repository = loader.load(site, new MonitorAdapter(progress));
		String name = repository.getName() == null ? "" : repository.getName();
		List<URI> added = new ArrayList<>(settings.sites());
		if (!site.equals(defaultSite) && !added.contains(site)) {
			added.add(site);
			settings.setSites(added);
		}
		return new PluginSite(site, name, site.equals(defaultSite));
	}

	@Override
	public synchronized void removeSite(URI site) throws PluginException {
		if (site.equals(defaultSite)) {
			throw new PluginException(Reason.BAD_URL, site + " is the product's default site; it cannot be removed");
		}
		List<URI> added = new ArrayList<>(settings.sites());
		if (!added.remove(site)) {
			throw new PluginException(Reason.BAD_URL, site + " is not one of the configured sites");
		}
		settings.setSites(added);
	}

	@Override
	public synchronized List<AvailablePlugin> available(List<URI> sites, PluginProgress progress)
			throws PluginException {
		List<URI> where = where(sites);
		IProfile profile = profile();
		Map<String, String> installedVersions = new HashMap<>();
		for (IInstallableUnit iu : roots(profile)) {
			installedVersions.put(iu.getId(), iu.getVersion().toString());
		}
		SubMonitor monitor = SubMonitor.convert(new MonitorAdapter(progress), "Reading the update sites",
				where.size());
		Map<String, AvailablePlugin> newest = new LinkedHashMap<>();
		for (URI site : where) {
			IMetadataRepository repository = loader.load(site, monitor.split(1));
			Map<String, String> categories = Features.categories(repository);
			for (IInstallableUnit iu : repository.query(QueryUtil.createLatestQuery(QueryUtil.createIUGroupQuery()),
					null)) {
				if (!Features.isPluginFor(iu, product)) {
					continue;
				}
				AvailablePlugin candidate = new AvailablePlugin(
						Features.describe(iu, categories.getOrDefault(iu.getId(), "")), site,
						installedVersions.getOrDefault(iu.getId(), ""));
				newest.merge(iu.getId(), candidate, (a, b) -> PluginVersions.newer(b.plugin().version(),
						a.plugin().version()) ? b : a);
			}
		}
		List<AvailablePlugin> result = new ArrayList<>(newest.values());
		result.sort(Comparator.comparing(AvailablePlugin::plugin, Features.BY_NAME));
		return result;
	}

	// ---------------------------------------------------------------- planning

	@Override
	public synchronized PluginPlan plan(PluginRequest request, PluginProgress progress) throws PluginException {
		if (request.pluginId().isBlank()) {
			throw new PluginException(Reason.UNKNOWN_PLUGIN, "No plugin named");
		}
		IProfile profile = profile();
		MonitorAdapter monitor = new MonitorAdapter(progress);
		try {
			return switch (request.action()) {
			case INSTALL -> planInstall(request, profile, monitor);
			case UPDATE -> planUpdate(request, profile, monitor);
			case UNINSTALL -> planUninstall(request, profile, monitor);
			};
		} catch (OperationCanceledException e) {
			throw new PluginException(Reason.CANCELED, "Canceled; nothing was changed");
		}
	}

	private PluginPlan planInstall(PluginRequest request, IProfile profile, IProgressMonitor monitor)
			throws PluginException {
		List<URI> where = where(request.sites());
		String groupId = Features.groupId(request.pluginId());
		SubMonitor sub = SubMonitor.convert(monitor, "Looking for " + request.pluginId(), where.size() + 10);
		IInstallableUnit best = null;
		List<String> offered = new ArrayList<>();
		IInstallableUnit otherProduct = null;
		for (URI site : where) {
			IMetadataRepository repository = loader.load(site, sub.split(1));
			for (IInstallableUnit iu : repository.query(QueryUtil.createLatestQuery(QueryUtil.createIUGroupQuery()),
					null)) {
				if (!iu.getId().equals(groupId)) {
					if (Features.isPluginFor(iu, product)) {
						offered.add(Features.pluginId(iu));
					}
					continue;
				}
				if (!Features.isPluginFor(iu, product)) {
					otherProduct = iu;
				} else if (best == null || PluginVersions.newer(iu.getVersion().toString(), best.getVersion().toString())) {
					best = iu;
				}
			}
		}
		if (best == null) {
			if (otherProduct != null) {
				String[] products = Features.products(otherProduct);
				throw new PluginException(Reason.UNKNOWN_PLUGIN, request.pluginId() + " is not a plugin for the "
						+ product + (products.length == 0 ? " (it is no Felund plugin)"
								: " (it is for: " + String.join(", ", products) + ")"));
			}
			throw new PluginException(Reason.UNKNOWN_PLUGIN, "No plugin " + request.pluginId() + " on "
					+ describe(where) + (offered.isEmpty() ? "; they offer no plugins for the " + product
							: "; they offer: " + String.join(", ", new LinkedHashSet<>(offered))));
		}
		IInstallableUnit installed = installedRoot(profile, groupId);
		if (installed != null && !PluginVersions.newer(best.getVersion().toString(), installed.getVersion().toString())) {
			return P2Plan.empty(this, request, Features.name(installed) + " " + installed.getVersion()
					+ " is already installed");
		}
		InstallOperation op = new InstallOperation(new ProvisioningSession(agent), List.of(best));
		return resolve(request, op, context(where), sub.split(10));
	}

	private PluginPlan planUpdate(PluginRequest request, IProfile profile, IProgressMonitor monitor)
			throws PluginException {
		IInstallableUnit installed = requireInstalledPlugin(profile, request.pluginId());
		List<URI> where = where(request.sites());
		SubMonitor sub = SubMonitor.convert(monitor, "Looking for updates of " + request.pluginId(),
				where.size() + 10);
		for (URI site : where) {
			loader.load(site, sub.split(1));
		}
		UpdateOperation op = new UpdateOperation(new ProvisioningSession(agent), List.of(installed));
		op.setProfileId(profileId());
		op.setProvisioningContext(context(where));
		IStatus status = op.resolveModal(sub.split(5));
		if (status.getSeverity() == IStatus.CANCEL) {
			throw new PluginException(Reason.CANCELED, "Canceled; nothing was changed");
		}
		if (op.getPossibleUpdates().length == 0) {
			return P2Plan.empty(this, request, Features.name(installed) + " " + installed.getVersion()
					+ " is up to date");
		}
		return planned(request, op, status);
	}

	private PluginPlan planUninstall(PluginRequest request, IProfile profile, IProgressMonitor monitor)
			throws PluginException {
		IInstallableUnit installed = requireInstalledPlugin(profile, request.pluginId());
		UninstallOperation op = new UninstallOperation(new ProvisioningSession(agent), List.of(installed));
		ProvisioningContext context = new ProvisioningContext(agent);
		context.setMetadataRepositories(new URI[0]);
		context.setArtifactRepositories(new URI[0]);
		return resolve(request, op, context, monitor);
	}

	private PluginPlan resolve(PluginRequest request, ProfileChangeOperation op, ProvisioningContext context,
			IProgressMonitor monitor) throws PluginException {
		op.setProfileId(profileId());
		op.setProvisioningContext(context);
		IStatus status = op.resolveModal(monitor);
		if (status.getSeverity() == IStatus.CANCEL) {
			throw new PluginException(Reason.CANCELED, "Canceled; nothing was changed");
		}
		return planned(request, op, status);
	}

	private PluginPlan planned(PluginRequest request, ProfileChangeOperation op, IStatus status)
			throws PluginException {
		IProvisioningPlan plan = op.getProvisioningPlan();
		if (status.getSeverity() == IStatus.ERROR || plan == null) {
			String details = op.getResolutionDetails();
			throw new PluginException(Reason.UNRESOLVABLE, "p2 cannot " + verb(request) + " " + request.pluginId()
					+ ": " + (details == null || details.isBlank() ? SiteLoader.firstMessage(status)
							: details.strip().replaceAll("\\s*\\n\\s*", "; ")));
		}
		List<IInstallableUnit> added = list(plan.getAdditions().query(QueryUtil.ALL_UNITS, null));
		List<IInstallableUnit> removed = list(plan.getRemovals().query(QueryUtil.ALL_UNITS, null));
		List<PluginChange> changes = changes(added, removed);
		List<PluginLicense> licenses = licenses(added);
		return new P2Plan(this, request, changes, licenses, summary(request, changes), op, added, removed,
				profileTimestamp());
	}

	private static String verb(PluginRequest request) {
		return request.action().name().toLowerCase(java.util.Locale.ROOT);
	}

	private static List<PluginChange> changes(List<IInstallableUnit> added, List<IInstallableUnit> removed) {
		Map<String, IInstallableUnit> before = new LinkedHashMap<>();
		for (IInstallableUnit iu : removed) {
			if (QueryUtil.isGroup(iu) || Features.isBundle(iu)) {
				before.put(iu.getId(), iu);
			}
		}
		List<PluginChange> changes = new ArrayList<>();
		for (IInstallableUnit iu : added) {
			if (!QueryUtil.isGroup(iu) && !Features.isBundle(iu)) {
				continue;
			}
			IInstallableUnit old = before.remove(iu.getId());
			changes.add(new PluginChange(QueryUtil.isGroup(iu) ? Features.pluginId(iu) : iu.getId(), Features.name(iu),
					old == null ? "" : old.getVersion().toString(), iu.getVersion().toString(), Features.isPlugin(iu)));
		}
		for (IInstallableUnit iu : before.values()) {
			changes.add(new PluginChange(QueryUtil.isGroup(iu) ? Features.pluginId(iu) : iu.getId(), Features.name(iu),
					iu.getVersion().toString(), "", Features.isPlugin(iu)));
		}
		changes.sort(Comparator.comparing((PluginChange c) -> !c.isPlugin()).thenComparing(PluginChange::id));
		return changes;
	}

	private List<PluginLicense> licenses(List<IInstallableUnit> added) {
		Set<String> accepted = settings.acceptedLicenses();
		List<PluginLicense> licenses = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		List<IInstallableUnit> groupsFirst = new ArrayList<>(added);
		groupsFirst.sort(Comparator.comparing((IInstallableUnit iu) -> !QueryUtil.isGroup(iu)));
		for (IInstallableUnit iu : groupsFirst) {
			for (ILicense license : licensesOf(iu)) {
				String uuid = license.getUUID();
				if (accepted.contains(uuid) || !seen.add(uuid)) {
					continue;
				}
				String body = license.getBody() == null ? "" : license.getBody().strip();
				licenses.add(new PluginLicense(QueryUtil.isGroup(iu) ? Features.pluginId(iu) : iu.getId(),
						Features.name(iu), body, license.getLocation() == null ? "" : license.getLocation().toString(),
						uuid));
			}
		}
		return licenses;
	}

	/** The IU's licenses, translated where the metadata has translations. */
	private static List<ILicense> licensesOf(IInstallableUnit iu) {
		Collection<ILicense> translated = iu.getLicenses(null);
		return translated != null && !translated.isEmpty() ? List.copyOf(translated) : List.copyOf(iu.getLicenses());
	}

	private static String summary(PluginRequest request, List<PluginChange> changes) {
		long plugins = changes.stream().filter(PluginChange::isPlugin).count();
		long others = changes.size() - plugins;
		String what = changes.stream().filter(PluginChange::isPlugin)
				.map(c -> switch (c.kind()) {
				case ADD -> "install " + c.name() + " " + c.toVersion();
				case UPDATE -> "update " + c.name() + " " + c.fromVersion() + " \u2192 " + c.toVersion();
				case REMOVE -> "uninstall " + c.name() + " " + c.fromVersion();
				}).reduce((a, b) -> a + ", " + b).orElse(verb(request) + " " + request.pluginId());
		return Character.toUpperCase(what.charAt(0)) + what.substring(1)
				+ (others == 0 ? "" : " (" + others + " more bundle" + (others == 1 ? "" : "s") + " and features)");
	}

	// ---------------------------------------------------------------- applying

	@Override
	public synchronized PluginResult apply(PluginPlan plan, PluginPrompts prompts, PluginProgress progress)
			throws PluginException {
		if (!(plan instanceof P2Plan p) || p.owner() != this) {
			throw new IllegalArgumentException("The plan was not made by this plugin service");
		}
		if (!p.claim()) {
			throw new PluginException(Reason.FAILED, "This plan was applied already; plan again");
		}
		if (p.isEmpty()) {
			return new PluginResult(List.of(), false, false, "");
		}
		if (profileTimestamp() != p.profileTimestamp()) {
			throw new PluginException(Reason.FAILED, "The installation changed since this change was planned;"
					+ " plan it again");
		}
		if (!p.licenses().isEmpty() && !prompts.acceptLicenses(p.licenses())) {
			throw new PluginException(Reason.LICENSE_DECLINED, "The license of " + p.licenses().stream()
					.map(PluginLicense::pluginName).distinct().reduce((a, b) -> a + ", " + b).orElse("")
					+ " was not accepted; nothing was installed");
		}
		// Files an earlier uninstall left because this process was running them go now.
		collectGarbage();
		MonitorAdapter monitor = new MonitorAdapter(progress);
		IStatus status;
		trust.begin(prompts);
		try {
			ProvisioningJob job = p.operation().getProvisioningJob(monitor);
			if (job == null) {
				throw new PluginException(Reason.FAILED, "p2 has no job for this plan: "
						+ SiteLoader.firstMessage(p.operation().getResolutionResult()));
			}
			status = job.runModal(monitor);
		} catch (OperationCanceledException e) {
			status = org.eclipse.core.runtime.Status.CANCEL_STATUS;
		} finally {
			trust.end();
		}
		if (status.getSeverity() == IStatus.CANCEL || status.getSeverity() == IStatus.ERROR) {
			// p2 rolled the profile back; what it had downloaded for the change is of no use now.
			collectGarbage();
		}
		if (status.getSeverity() == IStatus.CANCEL) {
			if (trust.declined()) {
				throw new PluginException(Reason.TRUST_DECLINED, "The content of " + p.request().pluginId()
						+ " was not trusted (it is unsigned, or signed by someone not trusted yet); nothing was"
						+ " installed");
			}
			throw new PluginException(Reason.CANCELED, "Canceled; nothing was changed");
		}
		if (status.getSeverity() == IStatus.ERROR) {
			throw ExecutionFailures.explain(p.request(), status);
		}
		settings.acceptLicenses(new LinkedHashSet<>(p.licenses().stream().map(PluginLicense::uuid).toList()));
		PluginResult result;
		if (running == null) {
			result = new PluginResult(p.changes(), false, false, "");
		} else {
			RunningProduct.Outcome outcome = running.apply(p.added(), p.removed());
			result = new PluginResult(p.changes(), outcome.applied(), outcome.restartRequired(), outcome.reason());
		}
		if (!p.removed().isEmpty()) {
			collectGarbage();
			if (running == null) {
				removeUnusedArtifacts(p.removed());
			}
		}
		return result;
	}

	/**
	 * Deletes what an uninstall or update took out of the profile from the product's bundle pool, when this process
	 * does not run the product (the command line): p2's collector keeps whatever the current process runs, and the
	 * command line runs the product's bundles. A node running elsewhere keeps the files it has open until it stops.
	 */
	private void removeUnusedArtifacts(List<IInstallableUnit> removed) {
		try {
			IProfile profile = profile();
			String cache = profile.getProperty(IProfile.PROP_CACHE);
			if (cache == null) {
				return;
			}
			Set<IArtifactKey> inUse = new HashSet<>();
			for (IInstallableUnit iu : profile.query(QueryUtil.ALL_UNITS, null)) {
				inUse.addAll(iu.getArtifacts());
			}
			IArtifactRepositoryManager artifacts = agent.getService(IArtifactRepositoryManager.class);
			IArtifactRepository pool = artifacts.loadRepository(Path.of(cache).toUri(), null);
			for (IInstallableUnit iu : removed) {
				for (IArtifactKey key : iu.getArtifacts()) {
					if (!inUse.contains(key) && pool.contains(key)) {
						pool.removeDescriptor(key, null);
					}
				}
			}
		} catch (PluginException | ProvisionException e) {
			// the files stay until p2's collector runs in a process that does not run them
		}
	}

	/**
	 * Deletes the files of bundles and features that no profile uses any more (what was uninstalled or updated), except
	 * those this process runs: p2 keeps them until a process that does not run them collects again.
	 */
	private void collectGarbage() {
		Object gc = agent.getService(GarbageCollector.SERVICE_NAME);
		if (gc instanceof GarbageCollector collector) {
			try {
				collector.runGC(profile());
			} catch (PluginException e) {
				// the profile went away: nothing to collect for it
			}
		}
	}

	// ---------------------------------------------------------------- helpers

	private IProfile profile() throws PluginException {
		if (agent.getService(IProvisioningAgent.SHARED_BASE_AGENT) != null) {
			// p2 would take the product for a multi-user install and replace its profile by a per-user one.
			throw new PluginException(Reason.FAILED, "This process runs on a shared configuration area"
					+ " (osgi.sharedConfiguration.area), where p2 would replace the product's profile by a per-user"
					+ " one; manage plugins from a process that owns the product's configuration (felund-node plugins,"
					+ " or the desktop)");
		}
		IProfileRegistry registry = agent.getService(IProfileRegistry.class);
		IProfile profile = registry == null ? null : registry.getProfile(profileId);
		if (profile == null) {
			throw new PluginException(Reason.FAILED, "This product has no p2 profile " + profileId
					+ " (in " + agent.getService(IAgentLocation.class).getRootLocation()
					+ "), so it cannot install plugins");
		}
		return profile;
	}

	private String profileId() throws PluginException {
		return profile().getProfileId();
	}

	private long profileTimestamp() throws PluginException {
		return profile().getTimestamp();
	}

	private static List<IInstallableUnit> roots(IProfile profile) {
		List<IInstallableUnit> roots = new ArrayList<>();
		for (IInstallableUnit iu : profile.query(QueryUtil.createIUGroupQuery(), null)) {
			if (Boolean.parseBoolean(profile.getInstallableUnitProperty(iu, IProfile.PROP_PROFILE_ROOT_IU))) {
				roots.add(iu);
			}
		}
		return roots;
	}

	private static IInstallableUnit installedRoot(IProfile profile, String groupId) {
		for (IInstallableUnit iu : roots(profile)) {
			if (iu.getId().equals(groupId)) {
				return iu;
			}
		}
		return null;
	}

	private IInstallableUnit requireInstalledPlugin(IProfile profile, String pluginId) throws PluginException {
		IInstallableUnit installed = installedRoot(profile, Features.groupId(pluginId));
		if (installed == null) {
			IQueryResult<IInstallableUnit> any = profile.query(QueryUtil.createIUQuery(Features.groupId(pluginId)),
					null);
			throw new PluginException(Reason.NOT_INSTALLED, pluginId + (any.isEmpty() ? " is not installed"
					: " is installed only as a part of another feature"));
		}
		if (!Features.isPluginFor(installed, product)) {
			throw new PluginException(Reason.UNKNOWN_PLUGIN, pluginId + " is part of the Felund " + product
					+ ", not a plugin");
		}
		return installed;
	}

	/** The roots of the first profile state that had any: what the product was made with. */
	private Set<String> builtIn() {
		if (builtIn == null) {
			IProfileRegistry registry = agent.getService(IProfileRegistry.class);
			Set<String> roots = new HashSet<>();
			try {
				String id = profileId();
				long[] timestamps = registry.listProfileTimestamps(id);
				Arrays.sort(timestamps);
				for (long t : timestamps) {
					IProfile state = registry.getProfile(id, t);
					if (state != null) {
						roots(state).forEach(iu -> roots.add(iu.getId()));
					}
					if (!roots.isEmpty()) {
						break;
					}
				}
			} catch (PluginException e) {
				// no profile: nothing is built in
			}
			builtIn = roots;
		}
		return builtIn;
	}

	private List<URI> where(List<URI> sites) throws PluginException {
		List<URI> where = new ArrayList<>();
		if (sites.isEmpty()) {
			sites().forEach(s -> where.add(s.location()));
		} else {
			for (URI s : sites) {
				where.add(SiteUrls.parse(s.toString()));
			}
		}
		if (where.isEmpty()) {
			throw new PluginException(Reason.BAD_URL, "No update site is configured: add one (its URL)");
		}
		return where;
	}

	private ProvisioningContext context(List<URI> sites) {
		ProvisioningContext context = new ProvisioningContext(agent);
		URI[] uris = sites.toArray(URI[]::new);
		context.setMetadataRepositories(uris);
		context.setArtifactRepositories(uris);
		return context;
	}

	private static String describe(List<URI> sites) {
		return sites.size() == 1 ? sites.get(0).toString()
				: sites.stream().map(URI::toString).reduce((a, b) -> a + ", " + b).orElse("");
	}

	private static <T> List<T> list(Iterable<T> items) {
		List<T> list = new ArrayList<>();
		items.forEach(list::add);
		return list;
	}
}
