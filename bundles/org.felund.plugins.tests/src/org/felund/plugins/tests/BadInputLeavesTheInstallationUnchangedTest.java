package org.felund.plugins.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.felund.plugins.PluginException;
import org.felund.plugins.PluginException.Reason;
import org.felund.plugins.PluginPlan;
import org.felund.plugins.PluginProgress;
import org.felund.plugins.PluginRequest;
import org.felund.plugins.PluginService;
import org.felund.plugins.PluginSite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * Every way an install can go wrong ends in a clear {@link PluginException} and leaves the product exactly as it was:
 * the same profile state, the same bundles.info, the same files, the same sites. One desktop product (made with
 * the gossip transport) serves all the tests, which is itself a check that none of them changed it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputLeavesTheInstallationUnchangedTest {
	private static final String RELAY = InstallUpdateUninstallTest.RELAY;

	private Path dir;
	private TestProduct product;
	private PluginService plugins;
	private TestProduct.State before;
	private List<PluginSite> sitesBefore;

	@BeforeAll
	void makeTheProduct() throws Exception {
		dir = Files.createTempDirectory("felund-plugins-bad-input");
		product = TestProduct.create(dir, PluginService.DESKTOP, TestProduct.SITE.toUri());
		plugins = product.service();
	}

	@AfterAll
	void cleanUp() throws Exception {
		if (product != null) {
			product.close();
		}
		TestFiles.delete(dir);
	}

	@BeforeEach
	void remember() {
		before = product.state();
		sitesBefore = plugins.sites();
	}

	@AfterEach
	void nothingChanged() {
		assertEquals(before, product.state(), "the profile, bundles.info and the files are as before");
		assertEquals(sitesBefore, plugins.sites(), "the sites are as before");
	}

	@Test
	void aSiteUrlThatIsNoSiteUrlIsRefusedWithTheReason() {
		assertRefused(Reason.BAD_URL, "No site URL", () -> plugins.addSite("  ", PluginProgress.NONE));
		assertRefused(Reason.BAD_URL, "uses htp:", () -> plugins.addSite("htp://127.0.0.1/site/", PluginProgress.NONE));
		assertRefused(Reason.BAD_URL, "is not a URL", () -> plugins.addSite("http://bad host/site", PluginProgress.NONE));
		assertRefused(Reason.BAD_URL, "no scheme", () -> plugins.addSite("relative/site", PluginProgress.NONE));
		assertRefused(Reason.BAD_URL, "not an absolute file URL",
				() -> plugins.addSite("file:relative/site", PluginProgress.NONE));
		assertRefused(Reason.BAD_URL, "names no host", () -> plugins.addSite("http:///site/", PluginProgress.NONE));
		assertRefused(Reason.BAD_URL, "read over http:, https: or file:",
				() -> plugins.addSite("ftp://127.0.0.1/site/", PluginProgress.NONE));
		assertRefused(Reason.BAD_URL, "default site", () -> plugins.removeSite(TestProduct.SITE.toUri()));
		assertRefused(Reason.BAD_URL, "not one of the configured sites",
				() -> plugins.removeSite(URI.create("http://127.0.0.1:1/site/")));
	}

	@Test
	void aFolderOrServerWithoutAnUpdateSiteIsNotASite() throws Exception {
		assertRefused(Reason.NOT_A_SITE, "the folder does not exist",
				() -> plugins.addSite(dir.resolve("nothing-here").toString(), PluginProgress.NONE));
		Path empty = Files.createDirectories(dir.resolve("empty-folder"));
		assertRefused(Reason.NOT_A_SITE, "has no p2 repository",
				() -> plugins.addSite(empty.toUri().toString(), PluginProgress.NONE));
		try (StaticSiteServer server = new StaticSiteServer(empty)) {
			assertRefused(Reason.NOT_A_SITE, "no p2 repository there",
					() -> plugins.addSite(server.url().toString(), PluginProgress.NONE));
		}
	}

	@Test
	void anUnreachableSiteIsReportedAsUnreachableWhetherAddedOrInstalledFrom() throws Exception {
		int closed;
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = s.getLocalPort();
		}
		String url = "http://127.0.0.1:" + closed + "/site/";
		assertRefused(Reason.SITE_UNREACHABLE, "nothing answers at 127.0.0.1:" + closed,
				() -> plugins.addSite(url, PluginProgress.NONE));
		assertRefused(Reason.SITE_UNREACHABLE, "Cannot reach",
				() -> plugins.plan(PluginRequest.install(RELAY, List.of(URI.create(url))), PluginProgress.NONE));
		assertRefused(Reason.SITE_UNREACHABLE, "Cannot reach",
				() -> plugins.available(List.of(URI.create(url)), PluginProgress.NONE));
	}

	@Test
	void aPluginNoSiteOffersIsUnknownAndTheMessageSaysWhatTheSitesOffer() {
		PluginException e = assertRefused(Reason.UNKNOWN_PLUGIN, "No plugin org.felund.nothing.feature",
				() -> plugins.plan(PluginRequest.install("org.felund.nothing.feature", List.of()), PluginProgress.NONE));
		assertTrue(e.getMessage().contains(RELAY), e.getMessage());
		assertRefused(Reason.UNKNOWN_PLUGIN, "is not a plugin for the desktop",
				() -> plugins.plan(PluginRequest.install("org.felund.core.feature", List.of()), PluginProgress.NONE));
		assertRefused(Reason.UNKNOWN_PLUGIN, "is not a plugin for the desktop (it is no Felund plugin)",
				() -> plugins.plan(PluginRequest.install("org.felund.plugins.ui.feature", List.of()),
						PluginProgress.NONE));
		assertRefused(Reason.NOT_INSTALLED, "is not installed",
				() -> plugins.plan(PluginRequest.uninstall(RELAY), PluginProgress.NONE));
		assertRefused(Reason.NOT_INSTALLED, "is not installed",
				() -> plugins.plan(PluginRequest.update(RELAY, List.of()), PluginProgress.NONE));
		assertRefused(Reason.UNKNOWN_PLUGIN, "No plugin named",
				() -> plugins.plan(PluginRequest.install(" ", List.of()), PluginProgress.NONE));
	}

	@Test
	void aDownloadThatBreaksHalfwayFailsAsADownloadAndLeavesNothingBehind() throws Exception {
		try (StaticSiteServer server = new StaticSiteServer(TestProduct.SITE)) {
			server.breakHalfway(path -> path.contains("/plugins/org.felund.transport.relay_"));
			PluginPlan plan = plugins.plan(PluginRequest.install(RELAY, List.of(server.url())), PluginProgress.NONE);
			assertRefused(Reason.DOWNLOAD_FAILED, "Downloading " + RELAY + " failed",
					() -> plugins.apply(plan, Answers.yes(), PluginProgress.NONE));
			assertTrue(server.requests().stream().anyMatch(r -> r.startsWith("GET /site/plugins/org.felund.transport.relay_")),
					"the bundle was requested: " + server.requests());
		}
	}

	@Test
	void aDeclinedLicenseOrDistrustedContentInstallsNothing() throws Exception {
		Answers noLicense = Answers.declineLicense();
		PluginPlan plan = plugins.plan(PluginRequest.install(RELAY, List.of()), PluginProgress.NONE);
		assertRefused(Reason.LICENSE_DECLINED, "was not accepted", () -> plugins.apply(plan, noLicense,
				PluginProgress.NONE));
		assertTrue(noLicense.trustQuestions.isEmpty(), "nothing was downloaded to ask about");

		Answers distrust = Answers.distrust();
		PluginPlan again = plugins.plan(PluginRequest.install(RELAY, List.of()), PluginProgress.NONE);
		assertRefused(Reason.TRUST_DECLINED, "was not trusted", () -> plugins.apply(again, distrust,
				PluginProgress.NONE));
		assertEquals(1, distrust.trustQuestions.size());
		assertRefused(Reason.FAILED, "applied already", () -> plugins.apply(again, Answers.yes(), PluginProgress.NONE));
	}

	@Test
	void cancelingAnInstallStopsItAndChangesNothing() throws Exception {
		AtomicBoolean cancel = new AtomicBoolean();
		PluginProgress cancelOnFirstWork = new PluginProgress() {
			@Override
			public void worked(int work) {
				cancel.set(true);
			}

			@Override
			public boolean isCanceled() {
				return cancel.get();
			}
		};
		PluginPlan plan = plugins.plan(PluginRequest.install(RELAY, List.of()), PluginProgress.NONE);
		assertRefused(Reason.CANCELED, "Canceled; nothing was changed",
				() -> plugins.apply(plan, Answers.yes(), cancelOnFirstWork));
	}

	@Test
	void aPlanMadeBeforeTheInstallationChangedIsNotApplied() throws Exception {
		PluginPlan stale = plugins.plan(PluginRequest.install(RELAY, List.of()), PluginProgress.NONE);
		PluginPlan install = plugins.plan(PluginRequest.install(RELAY, List.of()), PluginProgress.NONE);
		plugins.apply(install, Answers.yes(), PluginProgress.NONE);
		try {
			assertRefused(Reason.FAILED, "changed since", () -> plugins.apply(stale, Answers.yes(), PluginProgress.NONE));
		} finally {
			plugins.apply(plugins.plan(PluginRequest.uninstall(RELAY), PluginProgress.NONE), Answers.yes(),
					PluginProgress.NONE);
		}
		// the profile has moved on by two states (install, uninstall); what it holds is as before
		TestProduct.State after = product.state();
		assertEquals(before.units(), after.units());
		assertEquals(before.bundlesInfo(), after.bundlesInfo());
		assertEquals(before.files(), after.files());
		before = after;
	}

	private static PluginException assertRefused(Reason reason, String text, Executable action) {
		PluginException e = assertThrows(PluginException.class, action);
		assertEquals(reason, e.reason(), e.getMessage());
		assertTrue(e.getMessage().contains(text), "'" + e.getMessage() + "' should say '" + text + "'");
		return e;
	}
}
