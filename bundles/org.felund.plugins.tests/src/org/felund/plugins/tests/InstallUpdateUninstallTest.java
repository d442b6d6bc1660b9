package org.felund.plugins.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.felund.plugins.AvailablePlugin;
import org.felund.plugins.InstalledPlugin;
import org.felund.plugins.PluginChange;
import org.felund.plugins.PluginPlan;
import org.felund.plugins.PluginProgress;
import org.felund.plugins.PluginRequest;
import org.felund.plugins.PluginResult;
import org.felund.plugins.PluginService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The life of a plugin in a desktop product, through real p2 and the update site the reactor built: the product is
 * made with the gossip transport, the relay transport is installed, updated from a site with a newer version,
 * then uninstalled. Each step checks what p2 wrote: the profile, bundles.info and the files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallUpdateUninstallTest {
	static final String GOSSIP = "org.felund.transport.gossip.feature";
	static final String RELAY = "org.felund.transport.relay.feature";

	private Path dir;
	private TestProduct product;
	private PluginService plugins;
	private URI site;

	@BeforeAll
	void makeTheProduct() throws Exception {
		dir = Files.createTempDirectory("felund-plugins-test");
		site = TestProduct.SITE.toUri();
		product = TestProduct.create(dir, PluginService.DESKTOP, site);
		plugins = product.service();
		assertTrue(product.bundlesInfo().contains("org.felund.transport.gossip,"), "the product runs gossip");
		assertFalse(product.bundlesInfo().contains("org.felund.transport.relay,"), "and not the relay");
	}

	@AfterAll
	void cleanUp() throws Exception {
		if (product != null) {
			product.close();
		}
		TestFiles.delete(dir);
	}

	@Test
	@Order(1)
	void theSiteOffersTheTransportsWithNamesDescriptionsAndCategoriesButNotThePlatform() throws Exception {
		List<AvailablePlugin> available = plugins.available(List.of(), PluginProgress.NONE);
		Set<String> ids = available.stream().map(a -> a.plugin().id()).collect(Collectors.toSet());
		assertTrue(ids.containsAll(Set.of(GOSSIP, RELAY)), ids.toString());
		assertFalse(ids.contains("org.felund.core.feature") || ids.contains("org.felund.plugins.ui.feature"),
				"platform features are not plugins: " + ids);
		AvailablePlugin relay = available.stream().filter(a -> a.plugin().id().equals(RELAY)).findFirst().orElseThrow();
		assertEquals("Felund relay transport", relay.plugin().name());
		assertEquals("Felund transports", relay.plugin().category());
		assertTrue(relay.plugin().description().contains("relay"), relay.plugin().description());
		assertEquals(site, relay.site());
		assertFalse(relay.isInstalled());
		AvailablePlugin gossip = available.stream().filter(a -> a.plugin().id().equals(GOSSIP)).findFirst().orElseThrow();
		assertTrue(gossip.isInstalled() && !gossip.isUpdate(), "gossip is installed at the site's version");
		List<InstalledPlugin> installed = plugins.installed();
		assertEquals(List.of(GOSSIP), installed.stream().map(i -> i.plugin().id()).toList());
		assertTrue(installed.get(0).builtIn(), "the product was made with gossip");
	}

	@Test
	@Order(2)
	void installingTheRelayTransportAsksForItsLicenseAndTrustShowsProgressAndConfiguresIt() throws Exception {
		AtomicInteger work = new AtomicInteger();
		PluginProgress progress = new PluginProgress() {
			@Override
			public void worked(int amount) {
				work.addAndGet(amount);
			}
		};
		PluginPlan plan = plugins.plan(PluginRequest.install(RELAY, List.of()), progress);
		assertEquals(PluginChange.Kind.ADD, plan.changes().get(0).kind());
		assertEquals(RELAY, plan.changes().get(0).id());
		assertTrue(plan.changes().get(0).isPlugin());
		assertTrue(plan.changes().stream().anyMatch(c -> c.id().equals("org.felund.transport.relay")), plan.changes()
				.toString());
		assertTrue(plan.summary().startsWith("Install Felund relay transport"), plan.summary());
		assertEquals(1, plan.licenses().size(), "the feature's license: " + plan.licenses());
		assertEquals("Felund is free software.", plan.licenses().get(0).text());

		Answers answers = Answers.yes();
		PluginResult result = plugins.apply(plan, answers, progress);
		assertEquals(List.of(plan.licenses()), answers.licenseQuestions, "the license was asked for");
		assertEquals(1, answers.trustQuestions.size(), "unsigned content is a trust question");
		assertTrue(answers.trustQuestions.get(0).unsignedArtifacts().stream()
				.anyMatch(a -> a.contains("org.felund.transport.relay ")), answers.trustQuestions.toString());
		assertTrue(work.get() > 0, "progress was reported");
		assertFalse(result.appliedToRunningProduct() || result.restartRequired(),
				"a profile that is not running is neither applied to this framework nor restarted");

		assertEquals(List.of(GOSSIP, RELAY), plugins.installed().stream().map(i -> i.plugin().id()).sorted().toList());
		assertFalse(plugins.installed().stream().filter(i -> i.plugin().id().equals(RELAY)).findFirst().orElseThrow()
				.builtIn());
		assertTrue(product.bundlesInfo().contains("org.felund.transport.relay,"), product.bundlesInfo());
		assertTrue(product.files().stream().anyMatch(f -> f.startsWith("plugins/org.felund.transport.relay_")));

		PluginPlan again = plugins.plan(PluginRequest.install(RELAY, List.of()), PluginProgress.NONE);
		assertTrue(again.isEmpty(), "installing it again is nothing to do");
		assertTrue(again.summary().contains("already installed"), again.summary());
	}

	@Test
	@Order(3)
	void aNewerVersionOnAnotherSiteIsOfferedAsAnUpdateAndReplacesTheInstalledOne() throws Exception {
		NewerSite newer = NewerSite.withNewerRelay(TestProduct.SITE, dir.resolve("newer-site"));
		String oldVersion = installedVersion(RELAY);
		List<URI> sites = List.of(newer.location(), site);

		AvailablePlugin offered = plugins.available(sites, PluginProgress.NONE).stream()
				.filter(a -> a.plugin().id().equals(RELAY)).findFirst().orElseThrow();
		assertEquals(newer.version(), offered.plugin().version());
		assertTrue(offered.isUpdate(), offered.toString());
		assertEquals(oldVersion, offered.installedVersion());

		PluginPlan plan = plugins.plan(PluginRequest.update(RELAY, sites), PluginProgress.NONE);
		PluginChange feature = plan.changes().get(0);
		assertEquals(PluginChange.Kind.UPDATE, feature.kind(), plan.changes().toString());
		assertEquals(oldVersion, feature.fromVersion());
		assertEquals(newer.version(), feature.toVersion());
		assertTrue(plan.licenses().isEmpty(), "the same license was accepted before: " + plan.licenses());

		plugins.apply(plan, Answers.yes(), PluginProgress.NONE);
		assertEquals(newer.version(), installedVersion(RELAY));
		assertTrue(product.bundlesInfo().contains("org.felund.transport.relay," + newer.version() + ","),
				product.bundlesInfo());
		assertFalse(product.bundlesInfo().contains("org.felund.transport.relay," + oldVersion + ","));
		assertFalse(product.files().contains("plugins/org.felund.transport.relay_" + oldVersion + ".jar"),
				"p2's garbage collector removed the old jar: " + product.files());

		PluginPlan upToDate = plugins.plan(PluginRequest.update(RELAY, sites), PluginProgress.NONE);
		assertTrue(upToDate.isEmpty() && upToDate.summary().contains("up to date"), upToDate.summary());
	}

	@Test
	@Order(4)
	void uninstallingRemovesItFromTheProfileTheConfigurationAndTheDisk() throws Exception {
		PluginPlan plan = plugins.plan(PluginRequest.uninstall(RELAY), PluginProgress.NONE);
		assertEquals(PluginChange.Kind.REMOVE, plan.changes().get(0).kind());
		assertTrue(plan.licenses().isEmpty());
		Answers answers = Answers.yes();
		plugins.apply(plan, answers, PluginProgress.NONE);
		assertTrue(answers.licenseQuestions.isEmpty() && answers.trustQuestions.isEmpty(), "nothing to ask");
		assertEquals(List.of(GOSSIP), plugins.installed().stream().map(i -> i.plugin().id()).toList());
		assertFalse(product.bundlesInfo().contains("org.felund.transport.relay,"), product.bundlesInfo());
		assertFalse(product.files().stream().anyMatch(f -> f.contains("org.felund.transport.relay")),
				product.files().toString());
		assertTrue(product.bundlesInfo().contains("org.felund.transport.gossip,"), "gossip stays");
	}

	private String installedVersion(String id) throws Exception {
		return plugins.installed().stream().filter(i -> i.plugin().id().equals(id)).findFirst().orElseThrow().plugin()
				.version();
	}
}
