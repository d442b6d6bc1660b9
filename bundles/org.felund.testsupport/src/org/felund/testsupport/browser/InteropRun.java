package org.felund.testsupport.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The bookkeeping of a browser interop harness that runs as its own process (in a network namespace its test made):
 * named results and checks, waits that record a timeout as a failure instead of throwing (so one failed step still
 * reports the others), and the exit that writes {@code result.json} and a {@code RESULT} line for the test that
 * started the process.
 */
public final class InteropRun {
	/** What a harness does; whatever it throws is recorded as the failure of the whole run. */
	public interface Body {
		void run(InteropRun run) throws Exception;
	}

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Map<String, Object> results = new LinkedHashMap<>();
	private final Duration wait;
	private final long pollMillis;
	private boolean ok = true;

	private InteropRun(Duration wait, long pollMillis) {
		this.wait = wait;
		this.pollMillis = pollMillis;
	}

	/**
	 * Runs the harness, writes {@code result.json} into {@code work} with {@code "ok"} true only when every check
	 * passed and nothing failed, prints it as one {@code RESULT} line, and halts with 0 or 1.
	 *
	 * @param wait how long each {@link #await} waits
	 * @param pollMillis how often it looks
	 */
	public static void runAndHalt(Path work, Duration wait, long pollMillis, Body body) throws Exception {
		InteropRun run = new InteropRun(wait, pollMillis);
		try {
			body.run(run);
		} catch (Throwable t) {
			run.fail("run", t.toString());
			t.printStackTrace();
		}
		ObjectNode json = JSON.valueToTree(run.results);
		json.put("ok", run.ok);
		Files.writeString(work.resolve("result.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
		System.out.println("RESULT " + JSON.writeValueAsString(json));
		System.out.flush();
		// webrtc-java leaves native threads behind at exit; do not wait for them.
		Runtime.getRuntime().halt(run.ok ? 0 : 1);
	}

	/** A measured value or a diagnostic for the report. */
	public void put(String name, Object value) {
		results.put(name, value);
	}

	public void check(String name, boolean passed) {
		results.put("check: " + name, passed);
		ok &= passed;
	}

	public void fail(String what, String why) {
		results.put("failed: " + what, why);
		ok = false;
	}

	/** Waits for the condition; a timeout is recorded as a failure of {@code what} and returns false. */
	public boolean await(String what, BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + wait.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				fail(what, "timed out after " + wait.toSeconds() + " s");
				return false;
			}
			Thread.sleep(pollMillis);
		}
		return true;
	}

	/** Opens the served test page in a new tab and waits until its {@code felund} object is there. */
	public String openTestPage(Chromium chromium, PageServer pages, String what) throws Exception {
		String tab = chromium.cdp.openPage(pages.url());
		await(what, () -> evalBoolean(chromium, tab, "document.readyState === 'complete' && typeof felund === 'object'"));
		return tab;
	}

	/** The expression's value in the tab; false while the page cannot answer (loading, or the expression fails). */
	public static boolean evalBoolean(Chromium chromium, String tab, String expression) {
		try {
			return chromium.cdp.eval(tab, expression).asBoolean(false);
		} catch (Exception e) {
			return false;
		}
	}

	/** The expression's value in the tab; 0 while the page cannot answer. */
	public static int evalInt(Chromium chromium, String tab, String expression) {
		try {
			return chromium.cdp.eval(tab, expression).asInt(0);
		} catch (Exception e) {
			return 0;
		}
	}
}
