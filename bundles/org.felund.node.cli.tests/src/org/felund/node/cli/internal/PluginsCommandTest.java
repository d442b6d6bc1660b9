package org.felund.node.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.felund.node.cli.internal.Args.UsageException;
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
import org.felund.protocol.wire.Json;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code felund-node plugins}: what it prints, and that a license or unsigned content is only accepted by a flag.
 * The plugin service here is a small stand-in that asks its questions as the real one does (the real one is
 * proven in org.felund.plugins.tests, and end to end in the products).
 */
class PluginsCommandTest {
	private static final String RELAY = "org.felund.transport.relay.feature";
	private static final URI SITE = URI.create("file:/sites/felund/");

	private final StubPlugins plugins = new StubPlugins();
	private final ByteArrayOutputStream out = new ByteArrayOutputStream();
	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private void run(String... args) {
		new PluginsCommand(() -> plugins, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
	}

	private String out() {
		return out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void listJsonNamesTheInstalledAndTheAvailablePlugins() throws Exception {
		run("list", "--json");
		JsonNode o = Json.parse(out().strip());
		assertEquals("node", o.get("product").asText());
		assertEquals("org.felund.transport.gossip.feature", o.get("installed").get(0).get("id").asText());
		assertTrue(o.get("installed").get(0).get("built_in").asBoolean());
		JsonNode relay = o.get("available").get(1);
		assertEquals(RELAY, relay.get("id").asText());
		assertEquals("", relay.get("installed_version").asText());
		assertEquals(SITE.toString(), relay.get("site").asText());
		assertEquals("Felund transports", relay.get("category").asText());
	}

	@Test
	void installWithoutAcceptingTheLicensePrintsItAndChangesNothing() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("install", RELAY));
		assertTrue(e.getMessage().contains("--accept-license") && e.getMessage().contains("nothing was installed"),
				e.getMessage());
		assertTrue(err().contains("License of Felund relay transport:\nFelund is free software."), err());
		assertEquals(0, plugins.applied);
	}

	@Test
	void unsignedContentIsRefusedWithoutTrustUnsignedAndNamesTheFlag() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> run("install", "--accept-license", RELAY));
		assertTrue(e.getMessage().startsWith("Not installed: 1 unsigned artifact (osgi.bundle org.felund.transport.relay"),
				e.getMessage());
		assertTrue(e.getMessage().contains("--trust-unsigned"), e.getMessage());
		assertEquals(0, plugins.committed);
	}

	@Test
	void installWithTheFlagsReportsWhatChangedInJson() throws Exception {
		run("install", "--accept-license", "--trust-unsigned", "--repo", "http://127.0.0.1:8787/site/", "--json", RELAY);
		JsonNode o = Json.parse(out().strip());
		assertEquals("install", o.get("action").asText());
		assertTrue(o.get("changed").asBoolean());
		assertEquals(RELAY, o.get("changes").get(0).get("id").asText());
		assertEquals("0.1.0", o.get("changes").get(0).get("to").asText());
		assertFalse(o.get("restart_required").asBoolean());
		assertEquals(List.of(URI.create("http://127.0.0.1:8787/site/")), plugins.lastRequest.sites());
		assertEquals(1, plugins.committed);
	}

	@Test
	void anAlreadyInstalledPluginIsNothingToDo() {
		plugins.alreadyInstalled = true;
		run("install", RELAY);
		assertEquals("Felund relay transport 0.1.0 is already installed.\n", out());
	}

	@Test
	void serviceErrorsBecomeOneLineFailuresAndBadUsageIsUsage() {
		plugins.failure = new PluginException(Reason.UNKNOWN_PLUGIN, "No plugin org.x on file:/sites/felund/");
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("install", "org.x"));
		assertEquals("No plugin org.x on file:/sites/felund/", e.getMessage());
		assertThrows(UsageException.class, () -> run("install"));
		assertThrows(UsageException.class, () -> run("uninstall", "--repo", "file:/x/", RELAY));
		assertThrows(UsageException.class, () -> run("frobnicate"));
		assertThrows(IllegalArgumentException.class, () -> run("list", "--repo", "http://bad host/"));
	}

	@Test
	void sitesListsAddsAndRemoves() {
		run("sites");
		assertEquals(SITE + "  (default)\n", out());
		out.reset();
		run("sites", "add", "http://127.0.0.1:9/site/");
		assertEquals("Added http://127.0.0.1:9/site/\n", out());
		out.reset();
		run("sites", "remove", "http://127.0.0.1:9/site");
		assertEquals("Removed http://127.0.0.1:9/site/\n", out());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> run("sites", "remove", "http://elsewhere/"));
		assertTrue(e.getMessage().contains("not one of the configured sites"));
	}

	@Test
	void helpNamesEveryCommandAndFlag() {
		run("--help");
		for (String word : new String[] { "list", "install", "update", "uninstall", "sites add", "--repo",
				"--accept-license", "--trust-unsigned" }) {
			assertTrue(out().contains(word), word);
		}
	}

	/** A plugin service with one site, gossip built in and the relay on offer; it asks as the real one does. */
	private static final class StubPlugins implements PluginService {
		final List<PluginSite> sites = new ArrayList<>(List.of(new PluginSite(SITE, "", true)));
		boolean alreadyInstalled;
		PluginException failure;
		PluginRequest lastRequest;
		int applied;
		int committed;

		@Override
		public String product() {
			return NODE;
		}

		@Override
		public List<InstalledPlugin> installed() {
			return List.of(new InstalledPlugin(new Plugin("org.felund.transport.gossip.feature", "0.1.0",
					"Felund gossip transport", "Direct TCP gossip", "Felund", ""), true));
		}

		@Override
		public List<PluginSite> sites() {
			return List.copyOf(sites);
		}

		@Override
		public PluginSite addSite(String url, PluginProgress progress) {
			PluginSite site = new PluginSite(URI.create(url), "", false);
			sites.add(site);
			return site;
		}

		@Override
		public void removeSite(URI site) throws PluginException {
			if (!sites.removeIf(s -> s.location().equals(site) && !s.isDefault())) {
				throw new PluginException(Reason.BAD_URL, site + " is not one of the configured sites");
			}
		}

		@Override
		public List<AvailablePlugin> available(List<URI> where, PluginProgress progress) {
			return List.of(
					new AvailablePlugin(new Plugin("org.felund.transport.gossip.feature", "0.1.0",
							"Felund gossip transport", "", "Felund", "Felund transports"), SITE, "0.1.0"),
					new AvailablePlugin(new Plugin(RELAY, "0.1.0", "Felund relay transport", "Reach browsers",
							"Felund", "Felund transports"), SITE, ""));
		}

		@Override
		public PluginPlan plan(PluginRequest request, PluginProgress progress) throws PluginException {
			lastRequest = request;
			if (failure != null) {
				throw failure;
			}
			boolean empty = alreadyInstalled;
			return new PluginPlan() {
				@Override
				public PluginRequest request() {
					return request;
				}

				@Override
				public List<PluginChange> changes() {
					return empty ? List.of()
							: List.of(new PluginChange(RELAY, "Felund relay transport", "", "0.1.0", true));
				}

				@Override
				public List<PluginLicense> licenses() {
					return empty ? List.of()
							: List.of(new PluginLicense(RELAY, "Felund relay transport", "Felund is free software.",
									"", "uuid-1"));
				}

				@Override
				public String summary() {
					return empty ? "Felund relay transport 0.1.0 is already installed"
							: "Install Felund relay transport 0.1.0";
				}
			};
		}

		@Override
		public PluginResult apply(PluginPlan plan, PluginPrompts prompts, PluginProgress progress)
				throws PluginException {
			applied++;
			if (!prompts.acceptLicenses(plan.licenses())) {
				throw new PluginException(Reason.LICENSE_DECLINED, "license not accepted");
			}
			if (!prompts.trust(new PluginPrompts.TrustRequest(List.of("osgi.bundle org.felund.transport.relay 0.1.0"),
					List.of()))) {
				throw new PluginException(Reason.TRUST_DECLINED, "not trusted");
			}
			committed++;
			return new PluginResult(plan.changes(), false, false, "");
		}
	}
}
