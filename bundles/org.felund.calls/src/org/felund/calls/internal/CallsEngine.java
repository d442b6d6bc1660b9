package org.felund.calls.internal;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.felund.api.call.AudioStats;
import org.felund.api.call.Call;
import org.felund.api.call.CallListener;
import org.felund.api.call.LocalMedia;
import org.felund.api.call.MediaSource;
import org.felund.api.call.PeerMedia;
import org.felund.api.call.Role;
import org.felund.api.call.VideoSink;
import org.felund.api.call.VideoStats;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ControlEventService;
import org.felund.api.control.ControlListener;
import org.felund.api.control.ControlMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Member;
import org.felund.api.node.NodeService;
import org.felund.api.node.SystemNote;
import org.felund.api.transport.Endpoint;
import org.felund.calls.CallsOptions;
import org.felund.protocol.control.ChannelIds;
import org.felund.webrtc.RtcRuntime;
import org.felund.webrtc.RtcUnavailableException;
import org.felund.webrtc.SignalMailbox;

/**
 * The calls service's work: applies call events to the {@link CallBook} (synchronously, on the node's event thread,
 * so that a chat asking {@link #describe} right after sees the verdict), sends this node's own events, and runs the
 * {@link CallMedia} of the call this node is in on the calls thread.
 */
public final class CallsEngine implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(CallsEngine.class.getName());
	/** How far back the control history is read at start. */
	static final long HISTORY_SECONDS = 3 * 86_400;
	private static final int HISTORY_PAGE = 1000;
	private static final SecureRandom RANDOM = new SecureRandom();

	private final NodeService node;
	private final ControlEventService control;
	private final RtcRuntime runtime;
	private final boolean mediaAllowed;
	private final LongSupplier clock;
	private final String selfId;
	private final CallBook book;
	private final ScheduledExecutorService executor;
	private final List<CallListener> listeners = new CopyOnWriteArrayList<>();
	private final VideoWatches watches = new VideoWatches();
	private final Map<String, Long> hostHeard = new ConcurrentHashMap<>();
	private final Map<MediaSource.Kind, String> selected = new ConcurrentHashMap<>();
	private final ControlListener listener = this::controlEvent;
	private volatile CallsOptions options;
	private volatile boolean started;
	private volatile boolean closed;
	// ---- calls thread
	private CallMedia media;
	private boolean muted;
	private Boolean cameraWanted;
	private String mediaProblem = "";
	private long lastMediaEvent;
	private boolean mediaEventPending;

	public CallsEngine(NodeService node, ControlEventService control, RtcRuntime runtime, CallsOptions options,
			boolean mediaAllowed, LongSupplier clock) {
		this.node = Objects.requireNonNull(node, "node");
		this.control = Objects.requireNonNull(control, "control");
		this.runtime = Objects.requireNonNull(runtime, "runtime");
		this.options = Objects.requireNonNull(options, "options");
		this.mediaAllowed = mediaAllowed;
		this.clock = clock;
		this.selfId = node.identity().nodeId();
		this.book = new CallBook(this::nameOf);
		this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "felund-calls");
			t.setDaemon(true);
			return t;
		});
	}

	// ---------------------------------------------------------------- life cycle

	public void start() {
		if (started) {
			return;
		}
		started = true;
		long now = clock.getAsLong();
		for (Circle c : node.circles()) {
			rebuild(c.circleId(), now);
		}
		control.addListener(listener);
		expire();
		executor.scheduleWithFixedDelay(this::upkeep, 5, 5, TimeUnit.SECONDS);
		post(this::refreshMedia);
	}

	/** Applies the stored call events of a circle, oldest first (no listener hears these). */
	private void rebuild(String circleId, long now) {
		long since = now - HISTORY_SECONDS;
		java.util.Set<String> seen = new java.util.HashSet<>();
		for (int pages = 0; pages < 100; pages++) {
			List<ControlMessage> page;
			try {
				page = control.history(circleId, since, HISTORY_PAGE);
			} catch (IllegalArgumentException e) {
				return; // the circle went meanwhile
			}
			int fresh = 0;
			for (ControlMessage m : page) {
				if (seen.add(m.msgId())) {
					fresh++;
					if (m.event() instanceof CallEvent) {
						book.apply(m, now);
					}
				}
			}
			if (page.size() < HISTORY_PAGE || fresh == 0) {
				return;
			}
			since = page.get(page.size() - 1).createdTs();
		}
	}

	public void reconfigure(CallsOptions next) {
		options = Objects.requireNonNull(next, "options");
		post(this::publishMedia);
	}

	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		control.removeListener(listener);
		try {
			executor.submit(() -> {
				if (media != null) {
					media.close();
					media = null;
				}
			}).get(10, TimeUnit.SECONDS);
		} catch (Exception e) {
			LOG.log(System.Logger.Level.WARNING, "stopping call media: " + e);
		}
		executor.shutdownNow();
	}

	// ---------------------------------------------------------------- events

	/** Every accepted control event; call events are applied here, at once. */
	public void controlEvent(ControlMessage message, String origin) {
		if (!(message.event() instanceof CallEvent) || closed) {
			return;
		}
		CallBook.Outcome outcome = book.apply(message, clock.getAsLong());
		if (outcome.verdict().ignored()) {
			LOG.log(System.Logger.Level.INFO, () -> "ignored a call event from " + nameOf(message.authorNodeId())
					+ ": " + outcome.verdict().reason());
		}
		announce(outcome, message);
	}

	private void announce(CallBook.Outcome outcome, ControlMessage message) {
		if (outcome.changed().isEmpty()) {
			return;
		}
		for (Call call : outcome.changed()) {
			for (CallListener l : listeners) {
				safely(() -> l.callChanged(call));
			}
		}
		if (outcome.started() && !message.authorNodeId().equals(selfId)) {
			Call started = outcome.changed().get(0);
			for (CallListener l : listeners) {
				safely(() -> l.callStarted(started));
			}
		}
		post(this::refreshMedia);
	}

	/** The chat line of a call event: marked when this node ignored it. */
	public Optional<SystemNote> describe(ControlMessage message, Optional<SystemNote> proposed) {
		if (!(message.event() instanceof CallEvent)) {
			return proposed;
		}
		Optional<CallBook.Verdict> verdict = book.verdict(message.msgId());
		if (verdict.isEmpty() || !verdict.get().ignored()) {
			return proposed;
		}
		String reason = verdict.get().reason();
		return proposed.map(n -> new SystemNote(n.circleId(), n.channelId(), n.msgId(), n.authorNodeId(),
				n.createdTs(), n.text() + " \u2014 ignored: " + reason));
	}

	// ---------------------------------------------------------------- the control plane

	public List<Call> calls(String circleId) {
		return book.open(circleId);
	}

	public Optional<Call> call(String sessionId) {
		return book.call(sessionId);
	}

	public Optional<Call> current() {
		return book.open().stream().filter(c -> c.includes(selfId)).findFirst();
	}

	public Call startCall(String circleId, String channelId) {
		Circle circle = node.circle(circleId)
				.orElseThrow(() -> new IllegalArgumentException("Unknown circle " + circleId));
		String channel = channelId == null || channelId.isBlank() ? "general"
				: ChannelIds.normalizeUserInput(channelId);
		if (!ChannelIds.isAcceptable(channel)) {
			throw new IllegalArgumentException("'" + channelId + "' is not a channel name");
		}
		requireFree(null);
		String sessionId = HexFormat.of().formatHex(randomBytes(16));
		send(circle.circleId(), CallEvent.create(sessionId, selfId, circle.circleId(), channel, clock.getAsLong()));
		return book.call(sessionId).orElseThrow();
	}

	public Call join(String sessionId) {
		Call call = live(sessionId);
		if (call.participants().contains(selfId)) {
			return call;
		}
		requireFree(sessionId);
		send(call.circleId(), CallEvent.participation(CallEvent.Op.JOIN, sessionId, selfId, selfId));
		return book.call(sessionId).orElseThrow();
	}

	public Call view(String sessionId) {
		Call call = live(sessionId);
		if (call.viewers().contains(selfId)) {
			return call;
		}
		if (call.participants().contains(selfId)) {
			throw new IllegalStateException("You take part in this call already");
		}
		requireFree(sessionId);
		int cap = options.viewerCap();
		if (call.viewers().size() >= cap) {
			throw new IllegalStateException("This call has " + call.viewers().size()
					+ " viewers already, the most its host sends to");
		}
		send(call.circleId(), CallEvent.participation(CallEvent.Op.VIEW, sessionId, selfId, selfId));
		return book.call(sessionId).orElseThrow();
	}

	public void leave(String sessionId) {
		Call call = live(sessionId);
		if (!call.includes(selfId)) {
			throw new IllegalStateException("You are not in this call");
		}
		send(call.circleId(), CallEvent.participation(CallEvent.Op.LEAVE, sessionId, selfId, selfId));
	}

	public void end(String sessionId) {
		Call call = live(sessionId);
		if (!call.isHost(selfId)) {
			throw new IllegalStateException("Only " + nameOf(call.hostNodeId()) + " (the host) can end this call");
		}
		send(call.circleId(), CallEvent.end(sessionId, selfId));
	}

	public void revoke(String sessionId, String nodeId) {
		Call call = live(sessionId);
		if (!call.isHost(selfId)) {
			throw new IllegalStateException("Only " + nameOf(call.hostNodeId()) + " (the host) can remove people");
		}
		if (nodeId == null || nodeId.isBlank() || nodeId.strip().equals(selfId)) {
			throw new IllegalArgumentException("Name someone else to remove");
		}
		if (!call.includes(nodeId.strip())) {
			throw new IllegalArgumentException(nameOf(nodeId.strip()) + " is not in this call");
		}
		send(call.circleId(), CallEvent.revoke(sessionId, nodeId.strip(), selfId));
	}

	public int viewerCap() {
		return options.viewerCap();
	}

	private Call live(String sessionId) {
		Call call = book.call(sessionId == null ? "" : sessionId.strip())
				.orElseThrow(() -> new IllegalArgumentException("No call " + sessionId));
		if (call.ended()) {
			throw new IllegalStateException("The call has ended (" + call.endReason() + ")");
		}
		return call;
	}

	private void requireFree(String exceptSession) {
		Optional<Call> mine = current();
		if (mine.isPresent() && !mine.get().sessionId().equals(exceptSession)) {
			throw new IllegalStateException("You are in another call (#" + mine.get().channelId()
					+ "); leave it first");
		}
	}

	/** Sends an event and applies it here at once, so that the caller sees its effect. */
	private void send(String circleId, CallEvent event) {
		ControlMessage sent = control.send(circleId, event);
		CallBook.Outcome outcome = book.apply(sent, clock.getAsLong());
		if (outcome.verdict().ignored()) {
			throw new IllegalStateException(outcome.verdict().reason());
		}
		announce(outcome, sent);
	}

	// ---------------------------------------------------------------- upkeep

	private void upkeep() {
		try {
			expire();
			book.prune(clock.getAsLong());
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.WARNING, "calls upkeep failed", e);
		}
	}

	/** Ends calls whose host vanished (and brings them back when it shows up). */
	private void expire() {
		long now = clock.getAsLong();
		Map<String, Long> seen = new LinkedHashMap<>();
		for (Call c : book.open()) {
			lastSeen(c.circleId(), seen, now);
		}
		List<Call> changed = book.expire(now, options.hostTimeout().toSeconds(), key -> {
			String circle = key.substring(0, key.indexOf('|'));
			lastSeen(circle, seen, now);
			return Math.max(seen.getOrDefault(key, 0L), hostHeard.getOrDefault(key, 0L));
		}, selfId);
		for (Call call : changed) {
			for (CallListener l : listeners) {
				safely(() -> l.callChanged(call));
			}
		}
		if (!changed.isEmpty()) {
			post(this::refreshMedia);
		}
	}

	private void lastSeen(String circleId, Map<String, Long> seen, long now) {
		if (seen.containsKey(circleId + "|")) {
			return;
		}
		seen.put(circleId + "|", 0L);
		try {
			for (Member m : node.members(circleId)) {
				long at = m.transports().isEmpty() ? m.lastSeen() : now;
				seen.put(circleId + "|" + m.nodeId(), at);
			}
		} catch (IllegalArgumentException e) {
			// The circle went.
		}
	}

	// ---------------------------------------------------------------- media (calls thread)

	private void refreshMedia() {
		if (closed) {
			return;
		}
		Optional<Call> mine = current();
		if (media != null && (mine.isEmpty() || !mine.get().sessionId().equals(media.sessionId())
				|| (mine.get().roleOf(selfId) == Role.VIEWER) != (media.role() == Role.VIEWER))) {
			media.close();
			media = null;
			cameraWanted = null;
		}
		if (media == null && mine.isPresent() && mediaAllowed) {
			startMedia(mine.get());
		} else if (media != null) {
			media.update(mine.get());
		}
		if (mine.isEmpty()) {
			mediaProblem = "";
		}
		publishMedia();
	}

	private void startMedia(Call call) {
		Optional<URI> signal = signalUrl();
		if (signal.isEmpty()) {
			mediaProblem = "No relay to signal media through: set one in the calls settings, or use the relay transport";
			return;
		}
		String hint = node.circle(call.circleId()).map(Circle::circleHint).orElse("");
		CallsOptions o = options;
		CallsOptions withSources = o.withSources(selected.getOrDefault(MediaSource.Kind.MICROPHONE, o.microphone()),
				selected.getOrDefault(MediaSource.Kind.SPEAKER, o.speaker()),
				selected.getOrDefault(MediaSource.Kind.CAMERA, o.camera()));
		try {
			boolean camera = cameraWanted != null ? cameraWanted : o.cameraOnJoin();
			// Signed whenever the node has the circle's key, whether or not the WebRTC transport shares the mailbox.
			SignalMailbox.RequestSigner signer = node.relaySigner(call.circleId())
					.<SignalMailbox.RequestSigner>map(s -> s::sign).orElse(null);
			media = new CallMedia(selfId, hint, call, signal.get(), signer, runtime, withSources, camera, muted,
					executor, new CallMedia.Owner() {
						@Override
						public void mediaChanged() {
							mediaEvent();
						}

						@Override
						public void hostHeard(String circleId, String hostNodeId) {
							CallsEngine.this.hostHeard.put(circleId + "|" + hostNodeId, clock.getAsLong());
						}
					}, watches);
			mediaProblem = "";
		} catch (RtcUnavailableException | RuntimeException e) {
			mediaProblem = e.getMessage() == null ? e.toString() : e.getMessage();
			LOG.log(System.Logger.Level.WARNING, "no media for the call: " + mediaProblem);
		}
	}

	/** The relay to signal through: configured, else the one the node's relay transport advertises. */
	private Optional<URI> signalUrl() {
		String configured = options.relayUrl();
		try {
			if (!configured.isEmpty()) {
				return Optional.of(SignalMailbox.signalUrl(configured));
			}
			for (Endpoint e : node.endpoints()) {
				if (e.kind() == Endpoint.Kind.RELAY) {
					return Optional.of(SignalMailbox.signalUrl(e.address()));
				}
			}
		} catch (IllegalArgumentException e) {
			LOG.log(System.Logger.Level.WARNING, "unusable relay for media: " + e.getMessage());
		}
		return Optional.empty();
	}

	/** Coalesces media events: statistics change every second, listeners hear at most about 5 a second. */
	private void mediaEvent() {
		long now = System.nanoTime();
		if (now - lastMediaEvent > 200_000_000L) {
			lastMediaEvent = now;
			publishMedia();
		} else if (!mediaEventPending) {
			mediaEventPending = true;
			executor.schedule(() -> {
				mediaEventPending = false;
				lastMediaEvent = System.nanoTime();
				publishMedia();
			}, 200, TimeUnit.MILLISECONDS);
		}
	}

	private volatile LocalMedia localSnapshot = LocalMedia.NONE;

	private void publishMedia() {
		Optional<Call> mine = current();
		LocalMedia local;
		if (media != null) {
			local = media.local();
		} else if (mine.isPresent()) {
			local = new LocalMedia(mine.get().sessionId(), mine.get().roleOf(selfId), muted, false, false, "", "",
					mediaAllowed ? mediaProblem : "This process does not run call media");
		} else {
			local = LocalMedia.NONE;
		}
		localSnapshot = local;
		String session = mine.map(Call::sessionId).orElse("");
		for (CallListener l : listeners) {
			safely(() -> l.mediaChanged(session));
		}
	}

	public LocalMedia localMedia() {
		return localSnapshot;
	}

	public List<PeerMedia> peers() {
		CallMedia m = media;
		return m == null ? List.of() : m.peers();
	}

	public void setMuted(boolean mute) {
		onCallsThread(() -> {
			muted = mute;
			if (media != null && media.role() != Role.VIEWER) {
				media.setMuted(mute);
			}
			publishMedia();
			return null;
		});
	}

	public void setCamera(boolean on) {
		onCallsThread(() -> {
			if (media == null) {
				throw new IllegalStateException("You are in no call");
			}
			media.setCamera(on);
			cameraWanted = on;
			publishMedia();
			return null;
		});
	}

	public AutoCloseable watch(String nodeId, VideoSink sink) {
		return watches.watch(Objects.requireNonNull(nodeId, "nodeId"), Objects.requireNonNull(sink, "sink"));
	}

	public List<MediaSource> sources() {
		return MediaSources.list(runtime, options.audioMode());
	}

	public void selectSource(MediaSource.Kind kind, String id) {
		MediaSources.check(kind, id);
		selected.put(kind, id.strip());
		onCallsThread(() -> {
			if (media != null) {
				Call call = current().orElse(null);
				media.close();
				media = null;
				if (call != null) {
					startMedia(call);
				}
				publishMedia();
			}
			return null;
		});
	}

	public void addListener(CallListener l) {
		listeners.add(Objects.requireNonNull(l, "listener"));
	}

	public void removeListener(CallListener l) {
		listeners.remove(l);
	}

	// ---------------------------------------------------------------- statistics for the command line

	/** The current call's media, per peer, as plain values (the command line prints them as JSON). */
	public Map<String, Object> statistics() {
		return onCallsThread(() -> {
			Map<String, Object> out = new LinkedHashMap<>();
			Optional<Call> mine = current();
			out.put("session_id", mine.map(Call::sessionId).orElse(""));
			out.put("role", mine.map(c -> c.roleOf(selfId).name().toLowerCase(java.util.Locale.ROOT)).orElse("none"));
			LocalMedia local = localSnapshot;
			out.put("muted", local.muted());
			out.put("camera", local.cameraOn());
			out.put("audio_source", local.audioInput());
			out.put("video_source", local.videoInput());
			if (!local.problem().isEmpty()) {
				out.put("problem", local.problem());
			}
			out.put("sent_level", media == null ? 0 : round(media.sentLevel(), 4));
			if (media != null) {
				org.felund.webrtc.Signaling.Stats s = media.signaling().stats();
				Map<String, Object> negotiation = new LinkedHashMap<>();
				negotiation.put("offered", s.offered());
				negotiation.put("answered", s.answered());
				negotiation.put("renegotiations", s.renegotiations());
				negotiation.put("glare", s.glare());
				out.put("negotiation", negotiation);
			}
			List<Map<String, Object>> list = new ArrayList<>();
			if (media != null) {
				for (PeerMedia p : media.peers()) {
					PeerLink link = media.link(p.nodeId());
					Map<String, Object> peer = new LinkedHashMap<>();
					peer.put("node_id", p.nodeId());
					peer.put("role", p.role().name().toLowerCase(java.util.Locale.ROOT));
					peer.put("health", p.health().name().toLowerCase(java.util.Locale.ROOT));
					peer.put("detail", p.detail());
					peer.put("route", p.route());
					peer.put("connected_ms", p.connectedMs());
					peer.put("rtt_ms", round(p.rttMs(), 1));
					peer.put("loss_percent", round(p.lossPercent(), 2));
					peer.put("audio_in", audio(p.audioIn(), link == null ? -1 : link.audioProbe.beepLatencyMs()));
					peer.put("video_in", video(p.videoIn(), link == null ? -1 : link.videoProbe.patternAgeMs(),
							link == null ? 0 : link.videoProbe.stampedFrames()));
					peer.put("audio_out", audio(p.audioOut(), -1));
					peer.put("video_out", video(p.videoOut(), -1, 0));
					list.add(peer);
				}
			}
			out.put("peers", list);
			return out;
		});
	}

	private static Map<String, Object> audio(AudioStats a, double beepLatency) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("bytes", a.bytes());
		m.put("packets", a.packets());
		m.put("packets_lost", a.packetsLost());
		m.put("kbps", round(a.kbps(), 1));
		m.put("jitter_ms", round(a.jitterMs(), 1));
		m.put("level", round(a.level(), 4));
		m.put("dominant_hz", round(a.dominantHz(), 1));
		if (beepLatency >= 0) {
			m.put("beep_latency_ms", round(beepLatency, 1));
		}
		return m;
	}

	private static Map<String, Object> video(VideoStats v, double patternAge, long stamped) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("bytes", v.bytes());
		m.put("frames", v.frames());
		m.put("width", v.width());
		m.put("height", v.height());
		m.put("fps", round(v.fps(), 1));
		m.put("kbps", round(v.kbps(), 1));
		if (!v.limitation().isEmpty()) {
			m.put("limitation", v.limitation());
		}
		if (patternAge >= 0) {
			m.put("pattern_age_ms", round(patternAge, 1));
			m.put("pattern_frames", stamped);
		}
		return m;
	}

	private static double round(double v, int places) {
		double f = Math.pow(10, places);
		return Math.round(v * f) / f;
	}

	// ---------------------------------------------------------------- helpers

	/** For tests: the media of the current call (calls thread only). */
	CallMedia media() {
		return media;
	}

	/** Runs on the calls thread and waits (or runs directly when already there). */
	public <T> T onCallsThread(java.util.concurrent.Callable<T> task) {
		if (closed) {
			throw new IllegalStateException("The calls service is stopped");
		}
		try {
			return executor.submit(task).get(30, TimeUnit.SECONDS);
		} catch (java.util.concurrent.ExecutionException e) {
			if (e.getCause() instanceof RuntimeException r) {
				throw r;
			}
			throw new IllegalStateException(e.getCause());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted");
		} catch (java.util.concurrent.TimeoutException | RejectedExecutionException e) {
			throw new IllegalStateException("The calls service does not answer");
		}
	}

	private void post(Runnable task) {
		try {
			executor.execute(() -> {
				try {
					task.run();
				} catch (RuntimeException e) {
					LOG.log(System.Logger.Level.WARNING, "calls task failed", e);
				}
			});
		} catch (RejectedExecutionException e) {
			// Stopped.
		}
	}

	private void safely(Runnable r) {
		try {
			r.run();
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.WARNING, "a call listener failed", e);
		}
	}

	/** How people know a node: this node's name, a member's name, else the first 8 characters of its id. */
	String nameOf(String nodeId) {
		if (nodeId.equals(selfId)) {
			String name = node.identity().displayName();
			return name == null || name.isBlank() ? "you" : name;
		}
		for (Circle c : node.circles()) {
			try {
				for (Member m : node.members(c.circleId())) {
					if (m.nodeId().equals(nodeId) && !m.displayName().isBlank()) {
						return m.displayName();
					}
				}
			} catch (IllegalArgumentException e) {
				// Gone meanwhile.
			}
		}
		return nodeId.length() <= 8 ? nodeId : nodeId.substring(0, 8) + "\u2026";
	}

	private static byte[] randomBytes(int n) {
		byte[] b = new byte[n];
		RANDOM.nextBytes(b);
		return b;
	}
}
