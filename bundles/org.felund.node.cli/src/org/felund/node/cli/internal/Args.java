package org.felund.node.cli.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The arguments of one command: {@code --name value} / {@code --name=value} options, flags and positionals. */
final class Args {
	private final Map<String, String> options = new HashMap<>();
	private final List<String> positionals = new ArrayList<>();

	/**
	 * @param valued options that take a value
	 * @param flags options without a value
	 * @throws UsageException for an unknown option, a missing value or an option given twice
	 */
	Args(List<String> args, Set<String> valued, Set<String> flags) {
		boolean onlyPositionals = false;
		for (int i = 0; i < args.size(); i++) {
			String a = args.get(i);
			if (onlyPositionals || !a.startsWith("--") || a.equals("--")) {
				if (a.equals("--") && !onlyPositionals) {
					onlyPositionals = true;
				} else {
					positionals.add(a);
				}
				continue;
			}
			String name = a.substring(2);
			String value = null;
			int eq = name.indexOf('=');
			if (eq >= 0) {
				value = name.substring(eq + 1);
				name = name.substring(0, eq);
			}
			if (flags.contains(name)) {
				if (value != null) {
					throw new UsageException("--" + name + " takes no value");
				}
				value = "true";
			} else if (valued.contains(name)) {
				if (value == null) {
					if (i + 1 >= args.size()) {
						throw new UsageException("--" + name + " needs a value");
					}
					value = args.get(++i);
				}
			} else {
				throw new UsageException("Unknown option --" + name);
			}
			if (options.put(name, value) != null) {
				throw new UsageException("--" + name + " is given twice");
			}
		}
	}

	String get(String name) {
		return options.get(name);
	}

	boolean flag(String name) {
		return options.containsKey(name);
	}

	String require(String name, String what) {
		String v = options.get(name);
		if (v == null || v.isBlank()) {
			throw new UsageException("--" + name + " " + what + " is required");
		}
		return v;
	}

	List<String> positionals() {
		return positionals;
	}

	void noPositionals(String command) {
		if (!positionals.isEmpty()) {
			throw new UsageException(command + " takes no argument '" + positionals.get(0) + "'");
		}
	}

	/** The only positional argument, e.g. the NAME of {@code channel create NAME}. */
	String onePositional(String command, String what) {
		if (positionals.size() != 1) {
			throw new UsageException(command + " needs exactly one " + what);
		}
		return positionals.get(0);
	}

	/** An option's number; a bad one is a usage error. */
	static int number(String text, String option) {
		try {
			return Integer.parseInt(text.strip());
		} catch (NumberFormatException e) {
			throw new UsageException(option + " needs a number, got '" + text + "'");
		}
	}

	/** An option's number that must be at least 1. */
	static int positive(String text, String option) {
		int n = number(text, option);
		if (n < 1) {
			throw new IllegalArgumentException(option + " must be at least 1, got " + n);
		}
		return n;
	}

	/** A bad command line: exit code 2. */
	static final class UsageException extends RuntimeException {
		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}
	}
}
