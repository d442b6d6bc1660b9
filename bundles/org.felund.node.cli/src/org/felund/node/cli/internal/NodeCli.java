package org.felund.node.cli.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Delivery;
import org.felund.api.model.Peer;
import org.felund.api.node.CreatedCircle;
import org.felund.api.node.NodeIdentity;
import org.felund.api.node.NodeService;
import org.felund.api.transport.Endpoint;
import org.felund.protocol.invite.InviteCodes;
import org.felund.protocol.wire.Json;
import org.felund.node.cli.internal.Args.UsageException;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The commands of {@code felund-node}, run against a {@link NodeService}. One command per call; output on
 * {@code out}, one-line errors on {@code err}. Exit codes: 0 done, 1 the command failed (bad value, unknown circle,
 * store error; nothing is changed), 2 bad usage. The JSON outputs are documented in {@code docs/cli.md}.
 */
public final class NodeCli {
	public static final int OK = 0;
	public static final int FAILED = 1;
	public static final int USAGE = 2;
	/** Used by the application when the node service does not come up. */
	public static final int NO_NODE = 3;

	static final int DEFAULT_INBOX_LIMIT = 20;
	static final int MAX_INBOX_LIMIT = 1000;

	static final String USAGE_TEXT = """
			Usage: felund-node [--home DIR] COMMAND [OPTIONS]

			Commands:
			  init --name NAME [--bind HOST] [--port PORT] [--relay URL]
			                        set this node's display name; the gossip address and the
			                        relay go to those transports' configurations
			  whoami [--json]       show this node's id, name and the addresses it advertises
			  invite [--peer HOST:PORT|RELAY-URL] [--name NAME] [--json]
			                        create a circle and print its id and invite code
			  join --code CODE      join a circle with a felund1. invite code
			  join --secret HEX [--peer HOST:PORT]
			                        join with the legacy secret and bootstrap peer; give - as
			                        CODE or HEX to read it from standard input, or set
			                        FELUND_INVITE_CODE / FELUND_CIRCLE_SECRET, or run join
			                        alone on a terminal to be asked (values on the command
			                        line are visible to every user in ps)
			  circles [--json]      list the circles of this node
			  send [--circle ID] [--channel NAME] TEXT...
			                        send a message (schema 2: MAC and encrypted envelope)
			  send [--circle ID] [--channel NAME] --stdin
			                        send each line of standard input as a message; the msg_id
			                        of each is printed as soon as it is stored
			  inbox [--circle ID] [--channel NAME] [--limit N] [--json]
			                        show the latest N messages (default 20), oldest first
			  peers [--circle ID] [--json]
			                        list known dialable peers
			  channel list [--circle ID] [--json]
			  channel create NAME [--circle ID] [--mode public|key|invite] [--key KEY]
			  channel join NAME [--circle ID] [--key KEY]
			                        --key - reads the key from standard input; without
			                        --key, FELUND_CHANNEL_KEY is used when set
			  channel leave NAME [--circle ID]
			  channel request NAME [--circle ID]
			  channel approve NAME NODE_ID [--circle ID]
			  channel switch NAME [--circle ID]
			                        make NAME the default channel of send and inbox
			  retention [--circle ID] [--json]
			                        what each circle and channel keeps on this computer
			                        (everything, unless you chose otherwise)
			  retention set [--circle ID] [--channel NAME] --all | [--days N] [--messages N]
			                        keep everything, or the last N days and/or the newest N
			                        messages of each channel; older ones are deleted here
			                        (other members keep theirs)
			  retention unset [--circle ID] [--channel NAME]
			                        take the choice back: a channel keeps what its circle
			                        keeps, a circle keeps everything
			  run [--interval S] [--anchor] [--relay URL] [--peer HOST:PORT [--circle ID]]
			                        run the node: listen, gossip, relay; log what happens;
			                        stops on Ctrl-C or SIGTERM. --anchor keeps ciphertext for
			                        offline members; --peer dials that peer now (one circle);
			                        --interval, --anchor and --relay are saved in the plugins'
			                        configurations
			  config list [--json]  the plugins' configurations (PID = component name)
			  config get PID [KEY] [--json]
			                        a configuration's values (defaults marked)
			  config set PID KEY VALUE [--json]
			                        set a value, checked by the plugin (several: a,b,c)
			  config unset PID KEY [--json]
			                        back to the plugin's default
			  plugins list|install|update|uninstall|sites [--repo URL] [PLUGIN]
			                        the plugins of this product (see plugins --help)
			  help, --help          this text

			--circle takes a circle id, a unique prefix of one (4+ characters) or a circle's
			name, and may be left out when the node is in exactly one circle.
			Channel names: a-z, 0-9, '-' and '_', at most 32 (a leading # is ignored).
			Exit codes: 0 done, 1 the command failed, 2 bad usage, 3 the node did not start.
			""";

	/** The plugins whose configuration the friendly flags of {@code init} and {@code run} write. */
	static final String GOSSIP_PID = "org.felund.transport.gossip";
	static final String RELAY_PID = "org.felund.transport.relay";
	static final String ANCHOR_PID = "org.felund.anchor";

	private final NodeService node;
	private final PrintStream out;
	private final PrintStream err;
	private final CliState cliState;
	private final java.util.concurrent.CountDownLatch stop;
	private final Configurations configurations;
	private final java.io.InputStream in;
	private final SecretInput secrets;
	private final CircleTargets targets;
	private PluginCommands plugins = PluginCommands.NONE;

	/** Without Configuration Admin: {@code config} and the flags that write plugins' settings fail clearly. */
	public NodeCli(NodeService node, PrintStream out, PrintStream err, java.nio.file.Path stateFile) {
		this(node, System.in, out, err, stateFile, new java.util.concurrent.CountDownLatch(1), Configurations.NONE);
	}

	/**
	 * @param in where {@code send --stdin} reads its messages
	 * @param stop released when the process is asked to stop ({@code run} waits for it)
	 * @param configurations the plugins' configurations
	 */
	NodeCli(NodeService node, java.io.InputStream in, PrintStream out, PrintStream err, java.nio.file.Path stateFile,
			java.util.concurrent.CountDownLatch stop, Configurations configurations) {
		this(node, in, out, err, stateFile, stop, configurations, SecretInput.system(in));
	}

	/** @param secrets where secrets come from besides the command line (standard input, environment, terminal) */
	NodeCli(NodeService node, java.io.InputStream in, PrintStream out, PrintStream err, java.nio.file.Path stateFile,
			java.util.concurrent.CountDownLatch stop, Configurations configurations, SecretInput secrets) {
		this.in = in;
		this.secrets = secrets;
		this.node = node;
		this.out = out;
		this.err = err;
		this.cliState = new CliState(stateFile);
		this.targets = new CircleTargets(node, cliState);
		this.stop = stop;
		this.configurations = configurations;
	}

	/** The commands installed plugins add ({@code felund-node call …} with the calls plugin). */
	NodeCli withPluginCommands(PluginCommands commands) {
		this.plugins = commands;
		return this;
	}

	/** Whether the arguments only ask for help (no node needed). */
	public static boolean isHelp(List<String> args) {
		List<String> rest = withoutHome(args);
		return rest.isEmpty() || Set.of("help", "--help", "-h").contains(rest.get(0));
	}

	/** Whether the command works without the node service ({@code config}). */
	public static boolean needsNoNode(List<String> args) {
		List<String> rest = withoutHome(args);
		return !rest.isEmpty() && rest.get(0).equals("config");
	}

	/** Runs one command and returns its exit code. */
	public int run(List<String> rawArgs) {
		try {
			List<String> args = withoutHome(rawArgs);
			if (isHelp(args)) {
				out.print(USAGE_TEXT);
				printPluginUsage();
				return OK;
			}
			String command = args.get(0);
			List<String> rest = args.subList(1, args.size());
			switch (command) {
			case "init" -> init(rest);
			case "whoami" -> whoami(rest);
			case "invite" -> invite(rest);
			case "join" -> join(rest);
			case "circles" -> circles(rest);
			case "send" -> send(rest);
			case "inbox" -> inbox(rest);
			case "peers" -> peers(rest);
			case "channel" -> channels().channel(rest);
			case "retention" -> channels().retention(rest);
			case "run" -> runNode(rest);
			case "config" -> new ConfigCommand(configurations, out).run(rest);
			case "plugins" -> PluginsCommand.inFramework(out, err).run(rest);
			default -> {
				return runPluginCommand(command, rest);
			}
			}
			out.flush();
			return OK;
		} catch (UsageException e) {
			err.println("felund-node: " + oneLine(e.getMessage()) + " (see felund-node --help)");
			return USAGE;
		} catch (RuntimeException e) {
			// IllegalArgumentException and ProtocolException carry messages meant for the user; store and I/O
			// errors too. Nothing was changed by a failed command.
			err.println("felund-node: " + oneLine(e.getMessage() != null ? e.getMessage() : e.toString()));
			return FAILED;
		} finally {
			out.flush();
			err.flush();
		}
	}

	// ---------------------------------------------------------------- plugin commands

	private void printPluginUsage() {
		List<org.felund.api.cli.NodeCommand> commands;
		try {
			commands = plugins.settled();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			commands = plugins.all();
		}
		if (commands.isEmpty()) {
			return;
		}
		out.println();
		out.println("Commands of installed plugins:");
		for (org.felund.api.cli.NodeCommand c : commands) {
			for (String line : c.usage()) {
				out.println("  " + line);
			}
		}
	}

	/** A command a plugin adds; one that no installed plugin provides is bad usage, said plainly. */
	private int runPluginCommand(String command, List<String> rest) {
		PluginCommands.Lookup lookup;
		try {
			lookup = plugins.find(command);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return FAILED;
		}
		if (lookup.command().isEmpty()) {
			if (!lookup.pending().isEmpty()) {
				throw new IllegalStateException("the command '" + command + "' is not available yet: "
						+ lookup.pending());
			}
			throw new UsageException("Unknown command '" + command + "': neither built in nor added by an installed"
					+ " plugin (felund-node plugins list shows what is installed)");
		}
		org.felund.api.cli.NodeCommand c = lookup.command().get();
		try {
			return c.run(rest, new org.felund.api.cli.CommandContext() {
				@Override
				public PrintStream out() {
					return out;
				}

				@Override
				public PrintStream err() {
					return err;
				}

				@Override
				public java.io.InputStream in() {
					return in;
				}

				@Override
				public boolean awaitStop(java.time.Duration timeout) throws InterruptedException {
					return stop.await(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
				}
			});
		} catch (IllegalArgumentException e) {
			throw new UsageException(command + ": " + oneLine(String.valueOf(e.getMessage())));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return FAILED;
		}
	}

	// ---------------------------------------------------------------- commands

	private void runNode(List<String> rest) {
		Args a = new Args(rest, Set.of("interval", "peer", "circle", "relay"), Set.of("anchor"));
		a.noPositionals("run");
		if (a.get("circle") != null && a.get("peer") == null) {
			throw new UsageException("run --circle goes with --peer HOST:PORT");
		}
		Circle peerCircle = a.get("peer") == null ? null : targets.circle(a.get("circle"));
		ConfigCommand config = new ConfigCommand(configurations, out);
		// Every flag is checked by its plugin before the first one is written.
		List<Runnable> writes = new ArrayList<>();
		if (a.get("interval") != null) {
			check(config, GOSSIP_PID, "interval", a.get("interval"), "gossip transport");
			writes.add(() -> config.set(GOSSIP_PID, "interval", a.get("interval"), "gossip transport"));
		}
		if (a.get("relay") != null) {
			check(config, RELAY_PID, "urls", a.get("relay"), "relay transport");
			writes.add(() -> config.set(RELAY_PID, "urls", a.get("relay"), "relay transport"));
		}
		if (a.flag("anchor")) {
			check(config, ANCHOR_PID, "offer", "true", "anchor policy");
			writes.add(() -> config.set(ANCHOR_PID, "offer", "true", "anchor policy"));
		}
		writes.forEach(Runnable::run);
		if (peerCircle != null) {
			node.setBootstrapPeer(peerCircle.circleId(), a.get("peer"));
		}
		String notes = "";
		Object interval = configurations.describe(GOSSIP_PID).isPresent() ? config.effective(GOSSIP_PID, "interval")
				: null;
		if (interval != null) {
			notes += ", gossip every " + interval + " s";
		}
		if (Boolean.TRUE.equals(configurations.describe(ANCHOR_PID).isPresent() ? config.effective(ANCHOR_PID, "offer")
				: null)) {
			notes += ", anchoring for offline members";
		}
		out.flush();
		try {
			new NodeRunner(node, out).runUntil(stop, notes);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** Checks a value against its plugin's metatype without writing it. */
	private void check(ConfigCommand config, String pid, String key, String value, String plugin) {
		var d = configurations.describe(pid)
				.orElseThrow(() -> new IllegalArgumentException("the " + plugin + " is not installed"));
		var s = d.setting(key).orElseThrow(() -> new IllegalArgumentException(
				"the " + plugin + " has no setting '" + key + "' (is it an older version?)"));
		SettingValues.parse(pid, s, value);
	}

	private void init(List<String> rest) {
		Args a = new Args(rest, Set.of("name", "bind", "port", "relay"), Set.of());
		a.noPositionals("init");
		String name = a.require("name", "NAME");
		ConfigCommand config = new ConfigCommand(configurations, out);
		List<Runnable> writes = new ArrayList<>();
		if (a.get("bind") != null) {
			check(config, GOSSIP_PID, "bindHost", a.get("bind"), "gossip transport");
			writes.add(() -> config.set(GOSSIP_PID, "bindHost", a.get("bind"), "gossip transport"));
		}
		if (a.get("port") != null) {
			parsePort(a.get("port"));
			check(config, GOSSIP_PID, "port", a.get("port"), "gossip transport");
			writes.add(() -> config.set(GOSSIP_PID, "port", a.get("port"), "gossip transport"));
		}
		if (a.get("relay") != null) {
			check(config, RELAY_PID, "urls", a.get("relay"), "relay transport");
			writes.add(() -> config.set(RELAY_PID, "urls", a.get("relay"), "relay transport"));
		}
		node.setDisplayName(name);
		writes.forEach(Runnable::run);
		NodeIdentity now = node.identity();
		String gossip = configurations.describe(GOSSIP_PID).isPresent()
				? ", gossip on " + SettingValues.show(config.effective(GOSSIP_PID, "bindHost"), Configurations.Type.STRING)
						+ ":" + config.effective(GOSSIP_PID, "port")
				: "";
		String relay = a.get("relay") == null ? ""
				: ", relay " + SettingValues.show(config.effective(RELAY_PID, "urls"), Configurations.Type.STRING);
		out.println("Node " + now.nodeId() + " is '" + now.displayName() + "'" + gossip + relay);
	}

	private void whoami(List<String> rest) {
		Args a = new Args(rest, Set.of(), Set.of("json"));
		a.noPositionals("whoami");
		NodeIdentity id = node.identity();
		List<Endpoint> endpoints = node.endpoints();
		if (a.flag("json")) {
			ObjectNode o = Json.object();
			o.put("node_id", id.nodeId());
			o.put("display_name", id.displayName());
			ArrayNode list = o.putArray("endpoints");
			for (Endpoint e : endpoints) {
				ObjectNode x = list.addObject();
				x.put("transport", e.transportId());
				x.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
				x.put("address", e.address());
			}
			out.println(Json.compact(o));
		} else {
			out.println("node_id      " + id.nodeId());
			out.println("display_name " + id.displayName());
			if (endpoints.isEmpty()) {
				out.println("endpoints    - (no transport advertises an address)");
			}
			for (Endpoint e : endpoints) {
				out.println(String.format("%-12s %s", e.transportId(), e.address()));
			}
		}
	}

	private void invite(List<String> rest) {
		Args a = new Args(rest, Set.of("peer", "name"), Set.of("json"));
		a.noPositionals("invite");
		// Check the peer before creating anything, so a bad value leaves no circle behind.
		String peer = a.get("peer") == null ? null : InviteCodes.requireUsablePeer(a.get("peer"));
		if (peer == null && node.endpoints().isEmpty()) {
			throw new IllegalArgumentException("No transport advertises an address for the invite code (is the gossip "
					+ "or relay transport installed and configured?); give one with --peer HOST:PORT or --peer URL");
		}
		CreatedCircle created = node.createCircle(a.get("name") == null ? "" : a.get("name"));
		Circle c = created.circle();
		String code = peer == null ? created.inviteCode() : node.inviteCode(c.circleId(), peer);
		if (a.flag("json")) {
			ObjectNode o = Json.object();
			o.put("circle_id", c.circleId());
			o.put("circle_hint", c.circleHint());
			o.put("code", code);
			out.println(Json.compact(o));
		} else {
			out.println("circle " + c.circleId() + " (hint " + c.circleHint() + ")");
			out.println(code);
		}
	}

	private void join(List<String> rest) {
		Args a = new Args(rest, Set.of("code", "secret", "peer"), Set.of());
		String code = a.get("code");
		if (code == null && a.positionals().size() == 1 && a.positionals().get(0).strip().startsWith("felund1.")) {
			code = a.positionals().get(0);
		} else {
			a.noPositionals("join");
		}
		if (code != null && a.get("secret") != null) {
			throw new UsageException("join takes either --code or --secret/--peer, not both");
		}
		// A secret from standard input, the environment or a prompt never shows in ps (docs/security.md).
		String secret = code != null ? null : secrets.resolve(a.get("secret"), "secret", SecretInput.ENV_SECRET);
		if (secret == null) {
			code = secrets.resolve(code, "code", SecretInput.ENV_CODE);
		}
		if (code == null && secret == null && a.get("peer") == null) {
			String answer = secrets.prompt("Invite code (felund1.…) or circle secret: ");
			if (answer != null && answer.startsWith("felund1.")) {
				code = answer;
			} else {
				secret = answer;
			}
		}
		Circle c;
		if (code != null) {
			if (a.get("peer") != null) {
				throw new UsageException("join takes either --code or --secret/--peer, not both");
			}
			c = node.joinCircle(code);
		} else if (secret != null) {
			c = node.joinCircle(secret, a.get("peer") == null ? "" : a.get("peer"));
		} else {
			throw new UsageException("join needs --code CODE or --secret HEX [--peer HOST:PORT] (use - to read the"
					+ " value from standard input, or set " + SecretInput.ENV_CODE + " / " + SecretInput.ENV_SECRET + ")");
		}
		out.println("circle " + c.circleId() + " (hint " + c.circleHint() + ")"
				+ (c.name().isEmpty() ? "" : " '" + c.name() + "'"));
	}

	private void circles(List<String> rest) {
		Args a = new Args(rest, Set.of(), Set.of("json"));
		a.noPositionals("circles");
		List<Circle> all = node.circles();
		if (a.flag("json")) {
			ObjectNode o = Json.object();
			ArrayNode list = o.putArray("circles");
			for (Circle c : all) {
				ObjectNode e = list.addObject();
				e.put("circle_id", c.circleId());
				e.put("circle_hint", c.circleHint());
				e.put("name", c.name());
				e.put("joined_ts", c.joinedTs());
				e.put("bootstrap_peer", c.bootstrapPeer());
			}
			out.println(Json.compact(o));
			return;
		}
		if (all.isEmpty()) {
			out.println("No circles yet: create one with 'invite' or join one with 'join'.");
		}
		for (Circle c : all) {
			out.println(c.circleId() + "  " + c.circleHint() + "  " + (c.name().isEmpty() ? "-" : c.name()));
		}
	}

	private void send(List<String> rest) {
		Args a = new Args(rest, Set.of("circle", "channel"), Set.of("stdin"));
		boolean fromStdin = a.flag("stdin");
		if (fromStdin && !a.positionals().isEmpty()) {
			throw new UsageException("send takes either TEXT or --stdin, not both");
		}
		if (!fromStdin && a.positionals().isEmpty()) {
			throw new UsageException("send needs the TEXT to send (or --stdin)");
		}
		Circle c = targets.circle(a.get("circle"));
		String channel = targets.channelFor(c, a.get("channel"));
		if (!fromStdin) {
			out.println(node.send(c.circleId(), channel, String.join(" ", a.positionals())).msgId());
			return;
		}
		sendEachLine(c, channel);
	}

	/**
	 * {@code send --stdin}: one message per line; each id is printed (and flushed) only once the message is stored,
	 * so a script, or a crash in the middle of a burst, knows exactly which messages made it.
	 */
	private void sendEachLine(Circle c, String channel) {
		java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
				.onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
		java.io.InputStream bytes = new java.io.BufferedInputStream(in);
		java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
		int number = 0;
		try {
			for (boolean more = true; more;) {
				line.reset();
				int b;
				while ((b = bytes.read()) >= 0 && b != '\n') {
					line.write(b);
				}
				more = b >= 0;
				if (!more && line.size() == 0) {
					break;
				}
				number++;
				String text;
				try {
					// decoded line by line, so that a broken byte stops exactly at its own line
					text = utf8.decode(java.nio.ByteBuffer.wrap(line.toByteArray())).toString();
				} catch (java.nio.charset.CharacterCodingException e) {
					throw new IllegalArgumentException("line " + number + " of standard input is not valid UTF-8;"
							+ " it was not sent, nor any after it", e);
				}
				if (text.endsWith("\r")) {
					text = text.substring(0, text.length() - 1);
				}
				if (text.isBlank()) {
					continue;
				}
				String msgId;
				try {
					msgId = node.send(c.circleId(), channel, text).msgId();
				} catch (IllegalArgumentException e) {
					// stop at the first refused line: the ids printed so far say exactly what was sent
					throw new IllegalArgumentException("line " + number + " was not sent, nor any after it: "
							+ e.getMessage(), e);
				}
				out.println(msgId);
				out.flush();
			}
		} catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException("Could not read standard input: " + e.getMessage(), e);
		}
	}

	private void inbox(List<String> rest) {
		Args a = new Args(rest, Set.of("circle", "channel", "limit"), Set.of("json"));
		a.noPositionals("inbox");
		int limit = DEFAULT_INBOX_LIMIT;
		if (a.get("limit") != null) {
			limit = Args.number(a.get("limit"), "--limit");
			if (limit < 1 || limit > MAX_INBOX_LIMIT) {
				throw new IllegalArgumentException("--limit must be 1.." + MAX_INBOX_LIMIT + ", got " + limit);
			}
		}
		Circle c = targets.circle(a.get("circle"));
		String channel = targets.channelFor(c, a.get("channel"));
		List<ChatMessage> page = new ArrayList<>(node.history(c.circleId(), channel, null, limit));
		Collections.reverse(page);
		if (a.flag("json")) {
			ObjectNode o = Json.object();
			ArrayNode list = o.putArray("messages");
			Map<String, Delivery> deliveries = node.deliveries(c.circleId(), page.stream().map(ChatMessage::msgId).toList());
			for (ChatMessage m : page) {
				ObjectNode e = list.addObject();
				e.put("msg_id", m.msgId());
				e.put("channel_id", m.channelId());
				e.put("author_node_id", m.authorNodeId());
				e.put("display_name", m.displayName());
				e.put("created_ts", m.createdTs());
				e.put("text", m.text());
				Delivery d = deliveries.get(m.msgId());
				if (d != null) {
					putDelivery(e.putObject("delivery"), d);
				}
			}
			out.println(Json.compact(o));
			return;
		}
		Map<String, Delivery> deliveries = node.deliveries(c.circleId(), page.stream().map(ChatMessage::msgId).toList());
		for (ChatMessage m : page) {
			String name = m.displayName().isEmpty() ? m.authorNodeId() : m.displayName();
			Delivery d = deliveries.get(m.msgId());
			out.println("[" + Instant.ofEpochSecond(m.createdTs()) + "] #" + m.channelId() + " " + name + ": "
					+ m.text() + (d == null ? "" : "  " + deliveryLine(d)));
		}
	}

	/** After a message of ours: {@code ○ sent}, or {@code ✓ gossip → 0f3c5a9e (direct), relay → … (relay)}. */
	private static String deliveryLine(Delivery d) {
		if (d.hops().isEmpty()) {
			return "\u25cb sent";
		}
		return "\u2713 " + String.join(", ", d.hops().stream().map(Delivery.Hop::describe).toList());
	}

	/** A message of ours: {@code status} (sent / delivered) and its {@code path}, every hop that accepted it. */
	private static void putDelivery(ObjectNode o, Delivery d) {
		o.put("status", d.status().name().toLowerCase(Locale.ROOT));
		ArrayNode path = o.putArray("path");
		for (Delivery.Hop h : d.hops()) {
			ObjectNode hop = path.addObject();
			hop.put("transport", h.transportId());
			hop.put("peer", h.peer());
			hop.put("route", h.route().name().toLowerCase(Locale.ROOT));
			hop.put("ts", h.ts());
		}
	}

	private void peers(List<String> rest) {
		Args a = new Args(rest, Set.of("circle"), Set.of("json"));
		a.noPositionals("peers");
		List<Circle> circles = a.get("circle") == null ? node.circles() : List.of(targets.circle(a.get("circle")));
		ObjectNode o = Json.object();
		ArrayNode list = o.putArray("peers");
		for (Circle c : circles) {
			for (Peer p : node.peers(c.circleId())) {
				if (a.flag("json")) {
					ObjectNode e = list.addObject();
					e.put("circle_id", c.circleId());
					e.put("node_id", p.nodeId());
					e.put("addr", p.addr());
					e.put("last_seen", p.lastSeen());
				} else {
					out.println(c.circleId() + "  " + p.nodeId() + "  " + p.addr() + "  last seen "
							+ (p.lastSeen() == 0 ? "never" : Instant.ofEpochSecond(p.lastSeen()).toString()));
				}
			}
		}
		if (a.flag("json")) {
			out.println(Json.compact(o));
		}
	}

	// ---------------------------------------------------------------- helpers

	private ChannelCommands channels() {
		return new ChannelCommands(node, cliState, secrets, targets, out);
	}

	private static int parsePort(String text) {
		int port = Args.number(text, "--port");
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("--port must be 1..65535, got " + port);
		}
		return port;
	}

	/** {@code --home DIR} is consumed by the launch script; drop it if it reaches us. */
	static List<String> withoutHome(List<String> args) {
		List<String> out = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			String a = args.get(i);
			if (a.equals("--home")) {
				i++;
			} else if (!a.startsWith("--home=")) {
				out.add(a);
			}
		}
		return out;
	}

	private static String oneLine(String message) {
		return message.replaceAll("\\s*\\R\\s*", " ").strip();
	}
}
