package org.felund.relay.server.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.felund.relay.server.RelayConfig;
import org.felund.relay.server.internal.store.RelayStore;
import org.felund.relay.server.internal.store.RelayStore.CircleKey;

/**
 * {@code felund-relay admin …}: what only the relay's operator may do with circle signing keys, on the configured
 * database (the same {@code --db}, {@code --config}, {@code --key-file} options as the server; it may run while
 * the relay runs). Keys are never printed: a fingerprint (the first 16 hex of SHA-256 over the 64-hex key) lets
 * a member confirm which key is bound.
 */
public final class RelayAdmin {
	public static final int EXIT_OK = 0;
	public static final int EXIT_FAILURE = 1;
	public static final int EXIT_USAGE = 2;

	static final String USAGE = """
			Usage: felund-relay admin COMMAND [--hint HINT] [--key HEX|-] [database options]

			Commands (circle signing keys; members' requests are verified with the bound key):
			  list-keys            every bound circle: hint, key fingerprint, bound since, expires
			  show-key             one circle (--hint): fingerprint, dates, stored messages and bytes
			  rebind-key           bind --key (64 hex, or - to read it from standard input) to --hint,
			                       replacing any key (e.g. after a lockout); a member computes it as
			                       HMAC-SHA256(circle secret, "api-v1")
			  unbind-key           forget --hint's key: the next signed register of a member binds it again
			  reset-sealing        forget every binding and adopt the current --key-file (when the key
			                       file that sealed the keys is lost); members bind again on their next
			                       register

			Database options as for the server: --db FILE|URL, --config FILE, --key-file FILE,
			--key-retention-days N (how long a rebound key stays bound without use). Exit codes: 0 done,
			1 failed (database, key file), 2 bad command line.
			""";

	private RelayAdmin() {
	}

	/** @param args what follows {@code admin} on the command line */
	public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
			(args.length == 0 ? err : out).print(USAGE);
			return args.length == 0 ? EXIT_USAGE : EXIT_OK;
		}
		String command = args[0];
		String hint = null;
		String key = null;
		List<String> rest = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			String a = args[i];
			if ((a.equals("--hint") || a.equals("--key")) && i + 1 < args.length) {
				if (a.equals("--hint")) {
					hint = args[++i];
				} else {
					key = args[++i];
				}
			} else if (a.startsWith("--hint=")) {
				hint = a.substring("--hint=".length());
			} else if (a.startsWith("--key=")) {
				key = a.substring("--key=".length());
			} else {
				rest.add(a);
			}
		}
		RelayConfig config;
		try {
			config = RelayCommandLine.parse(rest.toArray(String[]::new)).config();
			if (config == null) {
				out.print(USAGE);
				return EXIT_OK;
			}
			switch (command) {
			case "list-keys", "reset-sealing" -> {
			}
			case "show-key", "unbind-key" -> requireHint(hint);
			case "rebind-key" -> {
				requireHint(hint);
				if (key == null) {
					throw new IllegalArgumentException("rebind-key needs --key HEX (or --key - to read it from standard input)");
				}
				if (key.equals("-")) {
					String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
					key = line == null ? "" : line.trim();
				}
				if (!key.matches("[0-9a-fA-F]{64}")) {
					throw new IllegalArgumentException("--key must be 64 hex characters (the circle's API key)");
				}
				key = key.toLowerCase(Locale.ROOT);
			}
			default -> throw new IllegalArgumentException("unknown admin command '" + command + "'");
			}
		} catch (IllegalArgumentException | IOException e) {
			err.println("felund-relay admin: " + e.getMessage());
			err.print(USAGE);
			return EXIT_USAGE;
		}
		if (!config.usesPostgres() && !Files.exists(config.database())) {
			err.println("felund-relay admin: no relay database at " + config.database() + " (give --db or --config)");
			return EXIT_FAILURE;
		}
		try (RelayStore db = RelayEngine.openStore(config)) {
			long now = Instant.now().getEpochSecond();
			if (command.equals("reset-sealing")) {
				KeySealer sealer = KeySealer.load(config.effectiveKeyFile(), true);
				int removed = 0;
				for (CircleKey k : db.circleKeys()) {
					removed += db.deleteCircleKey(k.circleHint()) ? 1 : 0;
				}
				db.putMeta(SealedKeys.CHECK, sealer.checkValue());
				out.println("forgot " + removed + " circle key bindings; keys are now sealed with "
						+ config.effectiveKeyFile());
				return EXIT_OK;
			}
			KeySealer sealer = SealedKeys.open(config, db);
			switch (command) {
			case "list-keys" -> {
				for (CircleKey k : db.circleKeys()) {
					out.println(describe(k, sealer, now));
				}
			}
			case "show-key" -> {
				String wanted = hint;
				Optional<CircleKey> k = db.circleKeys().stream().filter(c -> c.circleHint().equals(wanted)).findFirst();
				out.println(k.map(c -> describe(c, sealer, now)).orElse(wanted + "  no key bound"));
				RelayStore.CircleUsage usage = db.usage(hint);
				out.println("stored: " + usage.messages() + " messages, " + usage.bytes() + " bytes");
			}
			case "rebind-key" -> {
				db.setCircleKey(hint, sealer.seal(hint, key), now, now + config.keyRetention().toSeconds());
				out.println(hint + "  bound to key " + fingerprint(key));
			}
			case "unbind-key" -> out.println(hint + (db.deleteCircleKey(hint) ? "  unbound" : "  no key was bound"));
			default -> throw new IllegalStateException(command);
			}
			return EXIT_OK;
		} catch (IOException | SQLException | RuntimeException e) {
			err.println("felund-relay admin: " + e.getMessage());
			return EXIT_FAILURE;
		}
	}

	private static void requireHint(String hint) {
		if (hint == null || !RelayApi.lengthBetween(hint, RelayApi.MIN_ID_CHARS, RelayApi.MAX_ID_CHARS)) {
			throw new IllegalArgumentException("--hint must be a circle hint of 8-128 characters");
		}
	}

	private static String describe(CircleKey k, KeySealer sealer, long now) {
		String print;
		try {
			print = fingerprint(sealer.unseal(k.circleHint(), k.signingKey()));
		} catch (IllegalStateException e) {
			print = "(unreadable)";
		}
		return k.circleHint() + "  key " + print + "  bound " + Instant.ofEpochSecond(k.boundAt()) + "  expires "
				+ Instant.ofEpochSecond(k.expiresAt()) + (k.expiresAt() <= now ? " (expired)" : "");
	}

	/** The first 16 hex of SHA-256 over the 64-hex key text: {@code printf %s KEY | sha256sum | cut -c1-16}. */
	static String fingerprint(String keyHex) {
		try {
			byte[] d = MessageDigest.getInstance("SHA-256").digest(keyHex.getBytes(StandardCharsets.US_ASCII));
			return HexFormat.of().formatHex(d).substring(0, 16);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
