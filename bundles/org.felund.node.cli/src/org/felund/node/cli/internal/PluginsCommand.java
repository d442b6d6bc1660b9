package org.felund.node.cli.internal;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.felund.node.cli.internal.Args.UsageException;
import org.felund.plugins.AvailablePlugin;
import org.felund.plugins.InstalledPlugin;
import org.felund.plugins.PluginChange;
import org.felund.plugins.PluginException;
import org.felund.plugins.PluginLicense;
import org.felund.plugins.PluginPlan;
import org.felund.plugins.PluginProgress;
import org.felund.plugins.PluginPrompts;
import org.felund.plugins.PluginRequest;
import org.felund.plugins.PluginResult;
import org.felund.plugins.PluginService;
import org.felund.plugins.PluginSite;
import org.felund.protocol.wire.Json;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code felund-node plugins …}: the plugins of this node product, through the {@link PluginService} (the same
 * service as the desktop's Plugins dialog). A question p2 would ask a person (a license, unsigned content) is
 * answered by a flag, and refused without it: nothing is installed then. Failures throw with a message for the
 * user, which {@link NodeCli} prints (exit 1, or 2 for bad usage).
 */
final class PluginsCommand {
	static final String USAGE_TEXT = """
			Usage: felund-node plugins COMMAND

			  list [--repo URL] [--json]
			                        installed plugins, and those the sites (or URL) offer
			  install [--repo URL] [--accept-license] [--trust-unsigned] [--json] PLUGIN
			                        install a plugin (a feature id) from the sites or URL
			  update [--repo URL] [--accept-license] [--trust-unsigned] [--json] PLUGIN
			                        update an installed plugin to the newest version offered
			  uninstall [--json] PLUGIN
			                        uninstall a plugin
			  sites [--json]        the update sites: the default one and those added
			  sites add URL         check that URL is an update site and add it
			  sites remove URL      remove a site that was added

			--accept-license accepts the plugin's license (printed when it is missing);
			--trust-unsigned installs content that carries no signature (Felund's own plugins
			are unsigned); --trust-signers trusts signers not trusted yet. Without them nothing
			is installed. Plugins go into this node product (every home); running nodes of the
			product use them once restarted.
			""";

	private final Supplier<PluginService> service;
	private final PrintStream out;
	private final PrintStream err;

	PluginsCommand(Supplier<PluginService> service, PrintStream out, PrintStream err) {
		this.service = service;
		this.out = out;
		this.err = err;
	}

	/** The command of the running node CLI: the service comes from the framework (waited for, bounded). */
	static PluginsCommand inFramework(PrintStream out, PrintStream err) {
		return new PluginsCommand(PluginsCommand::frameworkService, out, err);
	}

	private static PluginService frameworkService() {
		Bundle bundle = FrameworkUtil.getBundle(PluginsCommand.class);
		BundleContext bc = bundle == null ? null : bundle.getBundleContext();
		if (bc == null) {
			throw new IllegalStateException("the CLI bundle is not active");
		}
		ServiceTracker<PluginService, PluginService> tracker = new ServiceTracker<>(bc, PluginService.class, null);
		tracker.open();
		try {
			PluginService s = tracker.waitForService(30_000);
			if (s == null) {
				throw new IllegalStateException("the plugin manager did not start (is org.felund.plugins installed?)");
			}
			return s;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the plugin manager", e);
		}
	}

	void run(List<String> args) {
		if (args.isEmpty() || Set.of("help", "--help", "-h").contains(args.get(0))) {
			out.print(USAGE_TEXT);
			return;
		}
		String command = args.get(0);
		List<String> rest = args.subList(1, args.size());
		try {
			switch (command) {
			case "list" -> list(rest);
			case "install" -> change(PluginRequest.Action.INSTALL, rest);
			case "update" -> change(PluginRequest.Action.UPDATE, rest);
			case "uninstall" -> change(PluginRequest.Action.UNINSTALL, rest);
			case "sites" -> sites(rest);
			default -> throw new UsageException("Unknown plugins command '" + command
					+ "' (list, install, update, uninstall, sites)");
			}
		} catch (PluginException e) {
			throw new IllegalArgumentException(e.getMessage(), e);
		}
	}

	private void list(List<String> rest) throws PluginException {
		Args a = new Args(rest, Set.of("repo"), Set.of("json"));
		a.noPositionals("plugins list");
		PluginService plugins = service.get();
		List<URI> repos = repo(a);
		List<InstalledPlugin> installed = plugins.installed();
		List<AvailablePlugin> available = plugins.available(repos, progress());
		if (a.flag("json")) {
			ObjectNode o = Json.object();
			o.put("product", plugins.product());
			ArrayNode in = o.putArray("installed");
			for (InstalledPlugin i : installed) {
				ObjectNode e = in.addObject();
				e.put("id", i.plugin().id());
				e.put("name", i.plugin().name());
				e.put("version", i.plugin().version());
				e.put("built_in", i.builtIn());
			}
			ArrayNode av = o.putArray("available");
			for (AvailablePlugin p : available) {
				ObjectNode e = av.addObject();
				e.put("id", p.plugin().id());
				e.put("name", p.plugin().name());
				e.put("version", p.plugin().version());
				e.put("installed_version", p.installedVersion());
				e.put("category", p.plugin().category());
				e.put("site", p.site().toString());
				e.put("description", p.plugin().description());
			}
			out.println(Json.compact(o));
			return;
		}
		out.println("Installed:");
		if (installed.isEmpty()) {
			out.println("  (no plugins)");
		}
		for (InstalledPlugin i : installed) {
			out.println("  " + i.plugin().id() + "  " + i.plugin().version() + "  " + i.plugin().name()
					+ (i.builtIn() ? "  (built in)" : ""));
		}
		out.println("Available:");
		if (available.isEmpty()) {
			out.println("  (none for the " + plugins.product() + ")");
		}
		for (AvailablePlugin p : available) {
			String state = p.isUpdate() ? "  (update of " + p.installedVersion() + ")"
					: p.isInstalled() ? "  (installed)" : "";
			out.println("  " + p.plugin().id() + "  " + p.plugin().version() + "  " + p.plugin().name() + state);
		}
	}

	private void change(PluginRequest.Action action, List<String> rest) throws PluginException {
		Set<String> flags = action == PluginRequest.Action.UNINSTALL ? Set.of("json")
				: Set.of("json", "accept-license", "trust-unsigned", "trust-signers");
		Args a = new Args(rest, action == PluginRequest.Action.UNINSTALL ? Set.of() : Set.of("repo"), flags);
		String verb = action.name().toLowerCase(java.util.Locale.ROOT);
		if (a.positionals().size() != 1) {
			throw new UsageException("plugins " + verb + " needs exactly one PLUGIN (a feature id; see plugins list)");
		}
		String id = a.positionals().get(0);
		PluginService plugins = service.get();
		PluginRequest request = new PluginRequest(action, id, repo(a));
		PluginPlan plan = plugins.plan(request, progress());
		if (plan.isEmpty()) {
			report(a.flag("json"), action, id, plan, new PluginResult(List.of(), false, false, ""));
			return;
		}
		if (!plan.licenses().isEmpty() && !a.flag("accept-license")) {
			for (PluginLicense l : plan.licenses()) {
				err.println("License of " + l.pluginName() + ":\n" + l.text() + (l.url().isEmpty() ? "" : "\n" + l.url()));
			}
			throw new IllegalArgumentException(plan.summary() + " needs its license accepted (printed above): run"
					+ " again with --accept-license; nothing was installed");
		}
		CliPrompts prompts = new CliPrompts(a.flag("accept-license"), a.flag("trust-unsigned"), a.flag("trust-signers"));
		PluginResult result;
		try {
			result = plugins.apply(plan, prompts, progress());
		} catch (PluginException e) {
			if (e.reason() == PluginException.Reason.TRUST_DECLINED && prompts.refusal != null) {
				throw new IllegalArgumentException(prompts.refusal, e);
			}
			throw e;
		}
		report(a.flag("json"), action, id, plan, result);
	}

	private void report(boolean json, PluginRequest.Action action, String id, PluginPlan plan, PluginResult result) {
		if (json) {
			ObjectNode o = Json.object();
			o.put("action", action.name().toLowerCase(java.util.Locale.ROOT));
			o.put("plugin", id);
			o.put("changed", !plan.isEmpty());
			o.put("summary", plan.summary());
			ArrayNode changes = o.putArray("changes");
			for (PluginChange c : result.changes()) {
				ObjectNode e = changes.addObject();
				e.put("id", c.id());
				e.put("name", c.name());
				e.put("from", c.fromVersion());
				e.put("to", c.toVersion());
				e.put("plugin", c.isPlugin());
			}
			o.put("applied_to_running", result.appliedToRunningProduct());
			o.put("restart_required", result.restartRequired());
			o.put("restart_reason", result.restartReason());
			out.println(Json.compact(o));
			return;
		}
		if (plan.isEmpty()) {
			out.println(plan.summary() + ".");
			return;
		}
		out.println("Done: " + plan.summary() + ".");
		if (result.restartRequired()) {
			out.println(result.restartReason() + ".");
		} else if (!result.appliedToRunningProduct()) {
			out.println("Nodes of this product started from now on use it; restart running nodes to use it there.");
		}
	}

	private void sites(List<String> rest) throws PluginException {
		PluginService plugins = service.get();
		if (!rest.isEmpty() && (rest.get(0).equals("add") || rest.get(0).equals("remove"))) {
			Args a = new Args(rest.subList(1, rest.size()), Set.of(), Set.of());
			if (a.positionals().size() != 1) {
				throw new UsageException("plugins sites " + rest.get(0) + " needs exactly one URL");
			}
			String url = a.positionals().get(0);
			if (rest.get(0).equals("add")) {
				PluginSite site = plugins.addSite(url, progress());
				out.println("Added " + site.location() + (site.name().isEmpty() ? "" : " (" + site.name() + ")"));
			} else {
				URI site = plugins.sites().stream().map(PluginSite::location)
						.filter(l -> l.toString().equals(url) || l.toString().equals(url + "/")).findFirst()
						.orElseThrow(() -> new IllegalArgumentException(url + " is not one of the configured sites"));
				plugins.removeSite(site);
				out.println("Removed " + site);
			}
			return;
		}
		Args a = new Args(rest, Set.of(), Set.of("json"));
		a.noPositionals("plugins sites");
		List<PluginSite> sites = plugins.sites();
		if (a.flag("json")) {
			ObjectNode o = Json.object();
			ArrayNode list = o.putArray("sites");
			for (PluginSite s : sites) {
				ObjectNode e = list.addObject();
				e.put("url", s.location().toString());
				e.put("default", s.isDefault());
			}
			out.println(Json.compact(o));
			return;
		}
		if (sites.isEmpty()) {
			out.println("No update site is configured: add one with 'plugins sites add URL'.");
		}
		for (PluginSite s : sites) {
			out.println(s.location() + (s.isDefault() ? "  (default)" : ""));
		}
	}

	private static List<URI> repo(Args a) {
		String repo = a.get("repo");
		if (repo == null) {
			return List.of();
		}
		try {
			return List.of(new URI(repo.strip()));
		} catch (java.net.URISyntaxException e) {
			throw new IllegalArgumentException("--repo '" + repo + "' is not a URL: " + e.getReason());
		}
	}

	/** Names each step once on stderr, so a long download shows that something happens. */
	private PluginProgress progress() {
		Set<String> shown = new LinkedHashSet<>();
		return new PluginProgress() {
			@Override
			public void begin(String task, int totalWork) {
				if (!task.isBlank() && shown.add(task)) {
					err.println("felund-node: " + task + "…");
				}
			}
		};
	}

	/** The answers the flags give; the refusal names the flag that is missing. */
	private static final class CliPrompts implements PluginPrompts {
		private final boolean licenses;
		private final boolean unsigned;
		private final boolean signers;
		String refusal;

		CliPrompts(boolean licenses, boolean unsigned, boolean signers) {
			this.licenses = licenses;
			this.unsigned = unsigned;
			this.signers = signers;
		}

		@Override
		public boolean acceptLicenses(List<PluginLicense> list) {
			return licenses;
		}

		@Override
		public boolean trust(TrustRequest request) {
			List<String> missing = new ArrayList<>();
			if (!request.unsignedArtifacts().isEmpty() && !unsigned) {
				missing.add(request.unsignedArtifacts().size() + " unsigned artifact"
						+ (request.unsignedArtifacts().size() == 1 ? "" : "s") + " (" + first(request.unsignedArtifacts())
						+ "): pass --trust-unsigned if you trust the site");
			}
			if (!request.untrustedSigners().isEmpty() && !signers) {
				missing.add("content signed by " + first(request.untrustedSigners())
						+ ", not trusted yet: pass --trust-signers if you trust it");
			}
			if (missing.isEmpty()) {
				return true;
			}
			refusal = "Not installed: " + String.join("; ", missing);
			return false;
		}

		private static String first(List<String> items) {
			return items.size() == 1 ? items.get(0) : items.get(0) + ", …";
		}
	}
}
