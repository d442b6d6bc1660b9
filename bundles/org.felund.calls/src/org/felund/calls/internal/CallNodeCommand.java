package org.felund.calls.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.felund.api.call.Call;
import org.felund.api.call.CallService;
import org.felund.api.call.MediaSource;
import org.felund.api.cli.CommandContext;
import org.felund.api.cli.NodeCommand;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;
import org.felund.protocol.wire.Json;

/**
 * {@code felund-node call …}: enough to script a call participant on a headless node. {@code start}, {@code join} and
 * {@code view} stay in the call and print one JSON object per line (what happened, then the received-media statistics
 * every {@code --every} seconds) until the process is stopped, {@code --for} seconds passed, or the call ended;
 * {@code leave}, {@code end} and {@code status} are one-shot. The test tone and test pattern are sources like any
 * other ({@code --microphone tone:440 --camera pattern:640x480@30}).
 */
public final class CallNodeCommand implements NodeCommand {
	static final List<String> USAGE = List.of(
			"call start [--circle ID] [--channel NAME] [SOURCES] [--for SECONDS] [--every SECONDS]",
			"                        start a call and stay in it; JSON lines: started, stats, ended",
			"                        (the call ends when this command stops)",
			"call join SESSION [SOURCES] [--for SECONDS] [--every SECONDS] [--wait SECONDS]",
			"                        join a call and stay in it (leaves when this command stops); waits up",
			"                        to --wait s (20) for the call to be known here",
			"call view SESSION [--for SECONDS] [--every SECONDS] [--wait SECONDS]",
			"                        watch a broadcast, receive only",
			"call leave SESSION | call end SESSION",
			"                        leave a call; end it (host only)",
			"call status            the calls here that have not ended, and this node's media, as JSON",
			"                        SOURCES: --microphone tone:HZ|beep:HZ|silence|default|device:NAME",
			"                        --camera pattern:WxH@FPS|none|default|device:NAME, --speaker default|device:NAME");
	private static final Set<String> LIVE_OPTIONS = Set.of("microphone", "camera", "speaker", "for", "every");
	private static final Set<String> WAITING_LIVE_OPTIONS = Set.of("microphone", "camera", "speaker", "for", "every",
			"wait");
	private static final Duration DEFAULT_EVERY = Duration.ofSeconds(2);
	/** How long join and view wait for the call's CALL_EVT create to arrive. */
	private static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);

	private final CallService calls;
	private final NodeService node;
	private final Supplier<Map<String, Object>> statistics;
	private final boolean media;

	/**
	 * @param statistics the received-media statistics of the current call
	 * @param media whether this process runs media (not with {@code felund.transports=off})
	 */
	public CallNodeCommand(CallService calls, NodeService node, Supplier<Map<String, Object>> statistics,
			boolean media) {
		this.calls = calls;
		this.node = node;
		this.statistics = statistics;
		this.media = media;
	}

	@Override
	public String name() {
		return "call";
	}

	@Override
	public List<String> usage() {
		return USAGE;
	}

	@Override
	public int run(List<String> args, CommandContext context) throws InterruptedException {
		if (args.isEmpty()) {
			throw new IllegalArgumentException("needs a subcommand: start, join, view, leave, end, status");
		}
		String sub = args.get(0);
		Options o = Options.parse(args.subList(1, args.size()));
		switch (sub) {
		case "status" -> {
			o.only(Set.of(), 0, "call status");
			context.out().println(Json.compact(Json.MAPPER.valueToTree(status())));
			return OK;
		}
		case "leave" -> {
			o.only(Set.of(), 1, "call leave SESSION");
			String session = known(o.positionals.get(0)).sessionId();
			calls.leave(session);
			context.out().println(Json.compact(Json.MAPPER.valueToTree(event("left", session))));
			return OK;
		}
		case "end" -> {
			o.only(Set.of(), 1, "call end SESSION");
			String session = known(o.positionals.get(0)).sessionId();
			calls.end(session);
			context.out().println(Json.compact(Json.MAPPER.valueToTree(event("ended", session))));
			return OK;
		}
		case "start" -> {
			Set<String> allowed = new java.util.HashSet<>(LIVE_OPTIONS);
			allowed.addAll(Set.of("circle", "channel"));
			o.only(allowed, 0, "call start");
			return live(o, context, () -> calls.start(circle(o.get("circle")).circleId(),
					o.get("channel") == null ? ChatMessage.GENERAL : channel(o.get("channel"))), "started", true);
		}
		case "join" -> {
			o.only(WAITING_LIVE_OPTIONS, 1, "call join SESSION");
			String session = awaitKnown(o, context).sessionId();
			return live(o, context, () -> calls.join(session), "joined", false);
		}
		case "view" -> {
			o.only(Set.of("for", "every", "speaker", "wait"), 1, "call view SESSION");
			String session = awaitKnown(o, context).sessionId();
			return live(o, context, () -> calls.view(session), "viewing", false);
		}
		default -> throw new IllegalArgumentException("unknown subcommand '" + sub
				+ "' (start, join, view, leave, end, status)");
		}
	}

	/** Takes part until stopped, {@code --for} passed or the call ended; reports as JSON lines. */
	private int live(Options o, CommandContext context, Supplier<Call> enter, String entered, boolean hosting)
			throws InterruptedException {
		Duration every = o.seconds("every", DEFAULT_EVERY);
		Duration limit = o.get("for") == null ? null : o.seconds("for", null);
		if (!media) {
			throw new IllegalStateException("this process runs no media (started with felund.transports=off);"
					+ " the felund-node launcher starts call start/join/view with the transports attached");
		}
		select(MediaSource.Kind.MICROPHONE, o.get("microphone"));
		select(MediaSource.Kind.CAMERA, o.get("camera"));
		select(MediaSource.Kind.SPEAKER, o.get("speaker"));
		Call call = enter.get();
		String session = call.sessionId();
		Map<String, Object> first = event(entered, session);
		first.put("circle_id", call.circleId());
		first.put("channel_id", call.channelId());
		first.put("host_node_id", call.hostNodeId());
		print(context, first);
		long end = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
		boolean stopped = false;
		while (!stopped) {
			long left = end - System.nanoTime();
			if (left <= 0) {
				break;
			}
			stopped = context.awaitStop(Duration.ofNanos(Math.min(every.toNanos(), left)));
			Optional<Call> now = calls.call(session);
			if (now.isEmpty() || now.get().ended()) {
				Map<String, Object> ended = event("ended", session);
				ended.put("reason", now.map(Call::endReason).orElse("forgotten"));
				print(context, ended);
				return OK;
			}
			if (!now.get().includes(node.identity().nodeId())) {
				print(context, event("removed", session));
				return OK;
			}
			Map<String, Object> stats = event("stats", session);
			stats.putAll(statistics.get());
			print(context, stats);
		}
		Map<String, Object> last = event(hosting ? "ended" : "left", session);
		last.put("stats", statistics.get());
		if (hosting) {
			calls.end(session);
		} else {
			calls.leave(session);
		}
		print(context, last);
		return OK;
	}

	private void select(MediaSource.Kind kind, String id) {
		if (id != null) {
			calls.selectSource(kind, id);
		}
	}

	private static void print(CommandContext context, Map<String, Object> line) {
		context.out().println(Json.compact(Json.MAPPER.valueToTree(line)));
		context.out().flush();
	}

	private static Map<String, Object> event(String what, String session) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("event", what);
		out.put("session_id", session);
		out.put("at", System.currentTimeMillis());
		return out;
	}

	private Map<String, Object> status() {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("node_id", node.identity().nodeId());
		out.put("media", media);
		out.put("current", calls.current().map(Call::sessionId).orElse(""));
		List<Map<String, Object>> list = new ArrayList<>();
		for (Circle c : node.circles()) {
			for (Call call : calls.calls(c.circleId())) {
				list.add(describe(call));
			}
		}
		out.put("calls", list);
		if (calls.current().isPresent()) {
			out.put("statistics", statistics.get());
		}
		return out;
	}

	static Map<String, Object> describe(Call call) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("session_id", call.sessionId());
		m.put("circle_id", call.circleId());
		m.put("channel_id", call.channelId());
		m.put("host_node_id", call.hostNodeId());
		m.put("state", call.state().name().toLowerCase(Locale.ROOT));
		m.put("participants", call.participants());
		m.put("viewers", call.viewers());
		m.put("created_ts", call.createdTs());
		if (call.ended()) {
			m.put("end_reason", call.endReason());
		}
		return m;
	}

	/** The call, waiting up to {@code --wait} seconds for its create to arrive (a script may start right away). */
	private Call awaitKnown(Options o, CommandContext context) throws InterruptedException {
		long end = System.nanoTime() + o.seconds("wait", DEFAULT_WAIT).toNanos();
		while (true) {
			try {
				return known(o.positionals.get(0));
			} catch (IllegalStateException e) {
				if (System.nanoTime() - end > 0 || context.awaitStop(Duration.ofMillis(100))) {
					throw e;
				}
			}
		}
	}

	/** A call known here, by its session id or a unique prefix of it (4+ characters). */
	private Call known(String idOrPrefix) {
		String wanted = idOrPrefix.strip().toLowerCase(Locale.ROOT);
		Optional<Call> exact = calls.call(wanted);
		if (exact.isPresent()) {
			return exact.get();
		}
		List<Call> matches = new ArrayList<>();
		if (wanted.length() >= 4) {
			for (Circle c : node.circles()) {
				for (Call call : calls.calls(c.circleId())) {
					if (call.sessionId().startsWith(wanted)) {
						matches.add(call);
					}
				}
			}
		}
		if (matches.size() == 1) {
			return matches.get(0);
		}
		throw new IllegalStateException(matches.isEmpty() ? "no call '" + idOrPrefix + "' is known here (call status"
				+ " lists them; a call appears once its CALL_EVT create arrived)"
				: "'" + idOrPrefix + "' matches " + matches.size() + " calls; give more of the session id");
	}

	private Circle circle(String spec) {
		List<Circle> circles = node.circles();
		if (spec == null) {
			if (circles.size() == 1) {
				return circles.get(0);
			}
			throw new IllegalArgumentException(circles.isEmpty() ? "this node is in no circle (join one first)"
					: "this node is in " + circles.size() + " circles: name one with --circle");
		}
		String s = spec.strip();
		List<Circle> matches = circles.stream().filter(c -> c.circleId().equals(s) || c.label().equals(s)
				|| s.length() >= 4 && c.circleId().startsWith(s)).toList();
		if (matches.size() != 1) {
			throw new IllegalStateException(matches.isEmpty() ? "no circle '" + s + "' here"
					: "'" + s + "' matches " + matches.size() + " circles");
		}
		return matches.get(0);
	}

	private static String channel(String name) {
		String c = name.strip().toLowerCase(Locale.ROOT);
		return c.startsWith("#") ? c.substring(1) : c;
	}

	/** Positionals and {@code --name value} options. */
	private record Options(List<String> positionals, Map<String, String> values) {
		static Options parse(List<String> args) {
			List<String> positionals = new ArrayList<>();
			Map<String, String> values = new HashMap<>();
			for (int i = 0; i < args.size(); i++) {
				String a = args.get(i);
				if (a.startsWith("--")) {
					String name = a.substring(2);
					String value;
					int eq = name.indexOf('=');
					if (eq >= 0) {
						value = name.substring(eq + 1);
						name = name.substring(0, eq);
					} else if (i + 1 < args.size()) {
						value = args.get(++i);
					} else {
						throw new IllegalArgumentException("--" + name + " needs a value");
					}
					if (values.put(name, value) != null) {
						throw new IllegalArgumentException("--" + name + " given twice");
					}
				} else {
					positionals.add(a);
				}
			}
			return new Options(positionals, values);
		}

		void only(Set<String> allowed, int positionalCount, String usage) {
			for (String name : values.keySet()) {
				if (!allowed.contains(name)) {
					throw new IllegalArgumentException(usage + " takes no --" + name);
				}
			}
			if (positionals.size() != positionalCount) {
				throw new IllegalArgumentException("usage: " + usage);
			}
		}

		String get(String name) {
			return values.get(name);
		}

		Duration seconds(String name, Duration fallback) {
			String v = values.get(name);
			if (v == null) {
				return fallback;
			}
			try {
				double s = Double.parseDouble(v.strip());
				if (!(s > 0) || s > 7 * 24 * 3600) {
					throw new NumberFormatException();
				}
				return Duration.ofMillis(Math.round(s * 1000));
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("--" + name + " takes seconds greater than 0, got '" + v + "'");
			}
		}
	}
}
