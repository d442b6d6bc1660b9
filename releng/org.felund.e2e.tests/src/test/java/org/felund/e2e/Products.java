package org.felund.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Paths of the built products and a way to run the root scripts as a user would. */
final class Products {
	static final Path REPO = Path.of(System.getProperty("felund.repo", "../..")).toAbsolutePath().normalize();

	private Products() {
	}

	static Path product(String uid) {
		return REPO.resolve("releng/org.felund.products/target/products").resolve(uid).resolve("linux/gtk/x86_64");
	}

	static Path site() {
		return REPO.resolve("releng/org.felund.site/target/repository");
	}

	record Result(int exitCode, String out, String err) {
	}

	/** Starts a long-running root script (e.g. {@code felund-node run}) with its output in {@code log}. */
	static Process start(Path home, Path log, String script, String... args) throws IOException {
		return start(java.util.Map.of(), home, log, script, args);
	}

	/** Like {@link #start(Path, Path, String, String...)}, with extra environment (e.g. FELUND_PRODUCT_DIR). */
	static Process start(java.util.Map<String, String> env, Path home, Path log, String script, String... args)
			throws IOException {
		List<String> command = new ArrayList<>();
		command.add(REPO.resolve(script).toString());
		command.add("--home");
		command.add(home.toString());
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true)
				.redirectOutput(log.toFile());
		builder.environment().putAll(env);
		return builder.start();
	}

	/** Runs a root script to completion (bounded) and captures its output. */
	static Result run(Path home, String script, String... args) throws IOException, InterruptedException {
		return run(java.util.Map.of(), home, script, args);
	}

	/** Like {@link #run(Path, String, String...)}, with extra environment (e.g. FELUND_PRODUCT_DIR). */
	static Result run(java.util.Map<String, String> env, Path home, String script, String... args)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(REPO.resolve(script).toString());
		command.add("--home");
		command.add(home.toString());
		command.addAll(List.of(args));
		Path out = Files.createTempFile("felund-out", ".txt");
		Path err = Files.createTempFile("felund-err", ".txt");
		ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectOutput(out.toFile())
				.redirectError(err.toFile());
		builder.environment().putAll(env);
		Process p = builder.start();
		if (!p.waitFor(120, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			throw new AssertionError(script + " " + String.join(" ", args) + " did not finish within 120 s");
		}
		Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8));
		Files.deleteIfExists(out);
		Files.deleteIfExists(err);
		return r;
	}
}
