package org.felund.node.cli.internal;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Supplier;

import org.felund.node.cli.internal.Args.UsageException;

/**
 * Where a command takes a secret from (an invite code, a circle secret, a channel key) without leaving it in
 * {@code ps} or the shell history: {@code --flag -} reads one line from standard input, an environment variable
 * names it, and on a terminal the command prompts without echo. A value on the command line still works for scripts,
 * but every process on the machine can read it while the command runs (docs/security.md).
 */
final class SecretInput {
	/** Environment variables that carry secrets for the node's commands. */
	static final String ENV_CODE = "FELUND_INVITE_CODE";
	static final String ENV_SECRET = "FELUND_CIRCLE_SECRET";
	static final String ENV_CHANNEL_KEY = "FELUND_CHANNEL_KEY";
	/** The value of a secret flag that means "read it from standard input". */
	static final String FROM_STDIN = "-";

	private final InputStream in;
	private final Function<String, String> env;
	private final Supplier<Console> console;
	private BufferedReader reader;

	SecretInput(InputStream in, Function<String, String> env, Supplier<Console> console) {
		this.in = in;
		this.env = env;
		this.console = console;
	}

	static SecretInput system(InputStream in) {
		return new SecretInput(in, System::getenv, SecretInput::terminal);
	}

	/**
	 * The console when this process talks to a terminal. Since Java 22 {@code System.console()} also answers when
	 * input is a pipe; {@code Console.isTerminal()} (read reflectively: the bundle targets Java 21) tells them apart.
	 */
	static Console terminal() {
		Console c = System.console();
		if (c == null) {
			return null;
		}
		try {
			Object terminal = Console.class.getMethod("isTerminal").invoke(c);
			return Boolean.TRUE.equals(terminal) ? c : null;
		} catch (ReflectiveOperationException e) {
			return c; // Java 21: a console exists only for a terminal
		}
	}

	/**
	 * The secret for {@code --flag}: its value, or a line of standard input for {@code -}, else the environment
	 * variable, else {@code null}.
	 */
	String resolve(String flagValue, String flag, String envName) {
		if (FROM_STDIN.equals(flagValue)) {
			String line = readLine();
			if (line == null || line.isBlank()) {
				throw new UsageException("--" + flag + " - expects the value on standard input; nothing was read");
			}
			return line.strip();
		}
		if (flagValue != null) {
			return flagValue;
		}
		String fromEnv = env.apply(envName);
		return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
	}

	/** Asks on the terminal without echo; {@code null} without a terminal or for an empty answer. */
	String prompt(String question) {
		Console c = console.get();
		if (c == null) {
			return null;
		}
		char[] answer = c.readPassword("%s", question);
		if (answer == null) {
			return null;
		}
		String value = new String(answer).strip();
		java.util.Arrays.fill(answer, '\0');
		return value.isEmpty() ? null : value;
	}

	private String readLine() {
		try {
			if (reader == null) {
				reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			}
			return reader.readLine();
		} catch (IOException e) {
			throw new UncheckedIOException("Cannot read standard input", e);
		}
	}
}
