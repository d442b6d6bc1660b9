package org.felund.relay.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

class RelayApplicationTest {

	private static IApplicationContext context(String... args) {
		return new IApplicationContext() {
			@Override
			public Map<String, Object> getArguments() {
				return Map.of(IApplicationContext.APPLICATION_ARGS, args);
			}

			@Override
			public void applicationRunning() {
			}

			@Override
			public String getBrandingApplication() {
				return null;
			}

			@Override
			public String getBrandingName() {
				return null;
			}

			@Override
			public String getBrandingDescription() {
				return null;
			}

			@Override
			public String getBrandingId() {
				return null;
			}

			@Override
			public String getBrandingProperty(String key) {
				return null;
			}

			@Override
			public Bundle getBrandingBundle() {
				return null;
			}

			@Override
			public void setResult(Object result, IApplication application) {
			}
		};
	}

	@Test
	void helpPrintsUsageWithEveryOptionAndExitsZero() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		Object code = new RelayApplication(new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8)).start(context("--help"));
		assertEquals(IApplication.EXIT_OK, code);
		String usage = out.toString(StandardCharsets.UTF_8);
		for (String option : new String[] { "--bind", "--port", "--db", "--config", "--signatures", "--base-path",
				"--message-retention-days", "--signal-rate-limit", "--ws-ping-interval-s", "--sync" }) {
			assertTrue(usage.contains(option), () -> "usage lacks " + option + ":\n" + usage);
		}
		assertTrue(usage.contains("compat"), usage);
		assertEquals("", err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void unknownOptionIsAUsageErrorNamingTheOption() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		Object code = new RelayApplication(new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8)).start(context("--prot", "80"));
		assertEquals(RelayApplication.EXIT_USAGE, code);
		assertTrue(err.toString(StandardCharsets.UTF_8).contains("--prot"));
	}
}
