package org.felund.calls;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.felund.api.call.Call;
import org.felund.api.call.CallListener;
import org.felund.api.call.CallService;
import org.felund.api.call.LocalMedia;
import org.felund.api.call.MediaSource;
import org.felund.api.call.PeerMedia;
import org.felund.api.call.Role;
import org.felund.api.call.VideoSink;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ControlEventService;
import org.felund.api.control.ControlListener;
import org.felund.api.control.ControlMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Member;
import org.felund.api.node.NodeService;
import org.felund.api.node.SystemNote;
import org.felund.api.node.SystemNoteContributor;
import org.felund.api.transport.Endpoint;
import org.felund.calls.internal.CallsEngine;
import org.felund.webrtc.RtcRuntime;
import org.felund.webrtc.SignalMailbox;

/**
 * The calls service of one node (embedding class): the control plane from the circle's {@code CALL_EVT} events, and
 * the media of the call this node is in. The DS component {@code org.felund.calls} registers one; tests and
 * benchmarks build their own. {@link #start()} reads the control history back (call state survives a restart) and
 * listens; {@link #close()} stops the media and leaves the control state to the next start.
 */
public final class Calls implements CallService, AutoCloseable {
	private final CallsEngine engine;

	/**
	 * @param media whether this process runs media (a one-shot command line process keeps only the control plane)
	 */
	public Calls(NodeService node, ControlEventService control, RtcRuntime runtime, CallsOptions options,
			boolean media) {
		this(node, control, runtime, options, media, () -> System.currentTimeMillis() / 1000);
	}

	/** With the clock of the tests (seconds). */
	public Calls(NodeService node, ControlEventService control, RtcRuntime runtime, CallsOptions options, boolean media,
			LongSupplier clock) {
		this.engine = new CallsEngine(node, control, runtime, options, media, clock);
	}

	/** Reads the calls back from the stored control events, listens for new ones, and resumes a call this node is in. */
	public void start() {
		engine.start();
	}

	/** New options: the next call uses them (a call running now keeps its own). */
	public void reconfigure(CallsOptions options) {
		engine.reconfigure(options);
	}

	/** Tells a chat which call events this node ignored, and why (register it as an OSGi service, or on the node). */
	public SystemNoteContributor notes() {
		return engine::describe;
	}

	/** The control listener {@link #start()} adds to the control-event service. */
	public ControlListener controlListener() {
		return engine::controlEvent;
	}

	/** Statistics of the current call as the command line prints them (JSON-ready: maps, lists, numbers, strings). */
	public Map<String, Object> statistics() {
		return engine.statistics();
	}

	@Override
	public List<Call> calls(String circleId) {
		return engine.calls(circleId);
	}

	@Override
	public Optional<Call> call(String sessionId) {
		return engine.call(sessionId);
	}

	@Override
	public Optional<Call> current() {
		return engine.current();
	}

	@Override
	public Call start(String circleId, String channelId) {
		return engine.startCall(circleId, channelId);
	}

	@Override
	public Call join(String sessionId) {
		return engine.join(sessionId);
	}

	@Override
	public Call view(String sessionId) {
		return engine.view(sessionId);
	}

	@Override
	public void leave(String sessionId) {
		engine.leave(sessionId);
	}

	@Override
	public void end(String sessionId) {
		engine.end(sessionId);
	}

	@Override
	public void revoke(String sessionId, String nodeId) {
		engine.revoke(sessionId, nodeId);
	}

	@Override
	public int viewerCap() {
		return engine.viewerCap();
	}

	@Override
	public LocalMedia localMedia() {
		return engine.localMedia();
	}

	@Override
	public void setMuted(boolean muted) {
		engine.setMuted(muted);
	}

	@Override
	public void setCamera(boolean on) {
		engine.setCamera(on);
	}

	@Override
	public List<MediaSource> sources() {
		return engine.sources();
	}

	@Override
	public void selectSource(MediaSource.Kind kind, String id) {
		engine.selectSource(kind, id);
	}

	@Override
	public List<PeerMedia> peers() {
		return engine.peers();
	}

	@Override
	public AutoCloseable watch(String nodeId, VideoSink sink) {
		return engine.watch(nodeId, sink);
	}

	@Override
	public void addListener(CallListener listener) {
		engine.addListener(listener);
	}

	@Override
	public void removeListener(CallListener listener) {
		engine.removeListener(listener);
	}

	@Override
	public void close() {
		engine.close();
	}
}
