package org.felund.webrtc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.felund.webrtc.internal.NativeRelease;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;

/**
 * One peer connection and its signaling state, driven by {@link Signaling}. Everything happens on the signaling
 * executor: native callbacks are handed to it, and the listener is called on it.
 * <p>
 * Lifecycle: {@link State#SIGNALING} (offer or answer being made and exchanged) → {@link State#CONNECTING} (both
 * descriptions applied, ICE checking) → {@link State#CONNECTED} → {@link State#CLOSED}. A session that is not
 * connected within the ICE timeout, whose ICE fails, or that stays disconnected beyond the grace period is closed with
 * a reason; closing releases every native object it holds (see {@code NativeRelease}).
 */
public final class PeerSession {
	private static final System.Logger LOG = System.getLogger(PeerSession.class.getName());

	public enum Role {
		OFFERER, ANSWERER
	}

	public enum State {
		SIGNALING, CONNECTING, CONNECTED, CLOSED
	}

	/** Called on the signaling executor. */
	public interface Listener {
		default void stateChanged(PeerSession session, State state) {
		}

		/** A channel the remote side opened (the answerer's view of the offerer's channels). */
		default void dataChannel(PeerSession session, DataChannelPort port) {
		}

		/** A remote media track (extension point for calls); again after a renegotiation that (re)starts it. */
		default void track(PeerSession session, RTCRtpTransceiver transceiver) {
		}

		/**
		 * A peer's offer (first or renegotiation) is applied and the answer is about to be made: attach local tracks to
		 * the transceivers it created and set their directions (media).
		 */
		default void beforeAnswer(PeerSession session) {
		}

		/** A renegotiation completed (either side's offer and its answer are applied). */
		default void renegotiated(PeerSession session) {
		}

		default void closed(PeerSession session, String reason) {
		}
	}

	private final Signaling hub;
	private final String sessionId;
	private final String peerNodeId;
	private final Role role;
	private final String circleHint;
	private final ScheduledExecutorService executor;
	private final IceSettings ice;
	private final int loopbackPort;
	private final RtcFactory factory;
	private final RTCPeerConnection pc;
	private final PcTrampoline observer;
	private final long createdNanos = System.nanoTime();
	private final List<DataChannelPort> ports = new ArrayList<>();
	private final List<RTCIceCandidate> pendingRemote = new ArrayList<>();
	private final VideoAdaptation videoAdaptation = new VideoAdaptation();
	/** A renegotiation may have brought a new video sender, which starts at full size. */
	private boolean videoScaleStale;
	private Listener listener;
	private State state = State.SIGNALING;
	private String closeReason = "";
	private String localUfrag = "";
	private String remoteUfrag = "";
	private String localFingerprint = "";
	private String remoteFingerprint = "";
	private String mid = "0";
	private boolean remoteDescriptionSet;
	private boolean descriptionPosted;
	private boolean gatheringDone;
	private Runnable afterGathering;
	private ScheduledFuture<?> iceTimer;
	private ScheduledFuture<?> gatherTimer;
	private ScheduledFuture<?> disconnectTimer;
	private ScheduledFuture<?> drainTimer;
	private long connectedNanos;
	// ---- renegotiation (media profiles only, see Signaling.Options#renegotiation)
	private Sdp.Origin remoteOrigin = Sdp.Origin.NONE;
	/** Our renegotiation offer is out and waits for its answer. */
	private boolean renegotiating;
	/** A peer's renegotiation offer is being applied and answered. */
	private boolean answeringReoffer;
	/** A renegotiation was asked for while another negotiation ran: it follows. */
	private boolean renegotiationWanted;
	private ScheduledFuture<?> renegotiationTimer;
	private int renegotiationAttempts;

	PeerSession(Signaling hub, String sessionId, String peerNodeId, Role role, String circleHint, RtcFactory factory,
			IceSettings ice, int loopbackPort, ScheduledExecutorService executor, Listener listener) {
		this.hub = hub;
		this.sessionId = sessionId;
		this.peerNodeId = peerNodeId;
		this.role = role;
		this.circleHint = circleHint;
		this.factory = factory;
		this.ice = ice;
		this.loopbackPort = loopbackPort;
		this.executor = executor;
		this.listener = listener;
		this.observer = new PcTrampoline(this);
		this.pc = factory.factory().createPeerConnection(IceConfigurations.build(ice, loopbackPort), observer);
		factory.connectionOpened();
		iceTimer = executor.schedule(() -> {
			if (state != State.CONNECTED && state != State.CLOSED) {
				close("no connection within " + hub.options().iceTimeout().toSeconds() + " s (ICE timeout)");
			}
		}, hub.options().iceTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	public String sessionId() {
		return sessionId;
	}

	public String peerNodeId() {
		return peerNodeId;
	}

	public Role role() {
		return role;
	}

	public State state() {
		return state;
	}

	/** Why the session closed ({@code ""} while open). */
	public String closeReason() {
		return closeReason;
	}

	/** The circle hint this session's signals carry. */
	public String circleHint() {
		return circleHint;
	}

	/** {@code sha-256 AB:CD:…} of our DTLS certificate, once our description is made. */
	public String localFingerprint() {
		return localFingerprint;
	}

	/** The peer's DTLS fingerprint from its description. */
	public String remoteFingerprint() {
		return remoteFingerprint;
	}

	public String localUfrag() {
		return localUfrag;
	}

	public String remoteUfrag() {
		return remoteUfrag;
	}

	public long createdNanos() {
		return createdNanos;
	}

	/** When the connection came up (0 before). */
	public long connectedNanos() {
		return connectedNanos;
	}

	public List<DataChannelPort> ports() {
		return List.copyOf(ports);
	}

	/** The origin ({@code o=} line) of the peer's last applied description. */
	public Sdp.Origin remoteOrigin() {
		return remoteOrigin;
	}

	/** Whether an offer (initial or renegotiation) and its answer are still being exchanged. */
	public boolean negotiating() {
		return state == State.SIGNALING || renegotiating || answeringReoffer;
	}

	/**
	 * Offers again on an established session, after tracks were added or their directions changed (media profiles
	 * only). While another negotiation runs, it follows that one. With glare (both sides offer at once) the initial
	 * offerer's offer wins, and the other side rolls its own back, answers, then offers again (§8.4). Executor only.
	 *
	 * @throws IllegalStateException when the signaling profile does not renegotiate (DataChannels)
	 */
	public void renegotiate() {
		if (!hub.options().renegotiation()) {
			throw new IllegalStateException("Sessions of this profile do not renegotiate");
		}
		if (state == State.CLOSED) {
			return;
		}
		if (state == State.SIGNALING || renegotiating || answeringReoffer
				|| pc.getSignalingState() != RTCSignalingState.STABLE) {
			renegotiationWanted = true;
			return;
		}
		renegotiationWanted = false;
		renegotiating = true;
		renegotiationAttempts++;
		cancel(renegotiationTimer);
		renegotiationTimer = executor.schedule(this::renegotiationTimedOut, hub.options().iceTimeout().toNanos(),
				TimeUnit.NANOSECONDS);
		guarded("creating a renegotiation offer", () -> pc.createOffer(new RTCOfferOptions(),
				described("creating a renegotiation offer", offer -> guarded("applying our renegotiation offer",
						() -> pc.setLocalDescription(offer, applied("applying our renegotiation offer",
								() -> postDescription(RTCSdpType.OFFER)))))));
	}

	/** The peer never answered our renegotiation: take the offer back, and try again a few times. */
	private void renegotiationTimedOut() {
		if (state == State.CLOSED || !renegotiating) {
			return;
		}
		LOG.log(System.Logger.Level.DEBUG, () -> "session " + sessionId + ": renegotiation not answered, rolling back");
		renegotiating = false;
		rollBack(() -> {
			if (renegotiationAttempts < 3) {
				renegotiate();
			} else {
				close("the peer does not answer renegotiation offers");
			}
		});
	}

	private void rollBack(Runnable then) {
		guarded("rolling back our offer", () -> pc.setLocalDescription(new RTCSessionDescription(RTCSdpType.ROLLBACK, ""),
				applied("rolling back our offer", then)));
	}

	/** Whether our renegotiation offer waits for its answer. */
	boolean awaitsReanswer() {
		return renegotiating && state != State.CLOSED;
	}

	/**
	 * A renegotiation offer from the peer (a later description of the session). Glare: the initial offerer ignores it
	 * (its own offer stands), the other side rolls its offer back, answers, and offers again afterwards.
	 *
	 * @return whether it crossed an offer of ours
	 */
	boolean acceptReoffer(String sdp, Sdp.Origin origin) {
		if (state == State.CLOSED) {
			return false;
		}
		boolean collision = renegotiating || answeringReoffer || pc.getSignalingState() != RTCSignalingState.STABLE;
		if (collision && role == Role.OFFERER) {
			LOG.log(System.Logger.Level.DEBUG, () -> "session " + sessionId + ": glare, keeping our offer (impolite)");
			return true;
		}
		Runnable answer = () -> {
			answeringReoffer = true;
			applyRemote(RTCSdpType.OFFER, sdp, () -> {
				if (listener != null) {
					listener.beforeAnswer(this);
				}
				guarded("answering a renegotiation", () -> pc.createAnswer(new RTCAnswerOptions(),
						described("answering a renegotiation", description -> guarded("applying our answer",
								() -> pc.setLocalDescription(description, applied("applying our answer", () -> {
									postDescription(RTCSdpType.ANSWER);
									answeringReoffer = false;
									negotiationDone();
								}))))));
			});
		};
		if (collision) {
			LOG.log(System.Logger.Level.DEBUG, () -> "session " + sessionId + ": glare, answering the peer (polite)");
			renegotiating = false;
			renegotiationWanted = true;
			cancel(renegotiationTimer);
			rollBack(answer);
		} else {
			answer.run();
		}
		return collision;
	}

	void acceptReanswer(String sdp) {
		applyRemote(RTCSdpType.ANSWER, sdp, () -> {
			renegotiating = false;
			renegotiationAttempts = 0;
			cancel(renegotiationTimer);
			negotiationDone();
		});
	}

	private void negotiationDone() {
		if (state == State.CLOSED) {
			return;
		}
		videoScaleStale = true;
		if (state == State.CONNECTED) {
			factory.settled(this);
		}
		if (listener != null) {
			listener.renegotiated(this);
		}
		if (renegotiationWanted) {
			renegotiate();
		}
	}

	/**
	 * Reads the connection's statistics; {@code consumer} is called on the executor (not at all once closed). Any
	 * thread. Each report also drives the sent video's resolution ({@link VideoAdaptation}), so a connection that
	 * sends video should have its statistics read every second or more often.
	 */
	public void stats(Consumer<RTCStatsReport> consumer) {
		post(() -> {
			if (state == State.CLOSED) {
				return;
			}
			try {
				pc.getStats(report -> post(() -> {
					if (state != State.CLOSED) {
						adaptVideo(report);
						consumer.accept(report);
					}
				}));
			} catch (RuntimeException | Error e) {
				if (e instanceof VirtualMachineError vm) {
					throw vm;
				}
				LOG.log(System.Logger.Level.DEBUG, () -> "session " + sessionId + ": no statistics: " + e.getMessage());
			}
		});
	}

	/** The factor the sent video is scaled down by now (1, 2 or 4). Executor only. */
	public int videoScale() {
		return videoAdaptation.scale();
	}

	private void adaptVideo(RTCStatsReport report) {
		RtcStats stats = RtcStats.of(report);
		if (!stats.videoOut().present()) {
			return;
		}
		int before = videoAdaptation.scale();
		int scale = videoAdaptation.update(stats.availableOutgoingKbps(), stats.videoOut().height(),
				stats.timestampMicros());
		if (scale != before) {
			LOG.log(System.Logger.Level.INFO, () -> "session " + sessionId + ": sending video at 1/" + scale
					+ " size (bandwidth estimate " + Math.round(stats.availableOutgoingKbps()) + " kbit/s)");
		}
		if (scale != before || (scale != 1 && videoScaleStale)) {
			scaleVideo(scale);
		}
		videoScaleStale = false;
	}

	/** Sets the factor on every encoding of the video sender that differs (a renegotiation may bring a new one). */
	private void scaleVideo(int scale) {
		try {
			for (RTCRtpSender sender : pc.getSenders()) {
				MediaStreamTrack track = sender.getTrack();
				if (track == null || !MediaStreamTrack.VIDEO_TRACK_KIND.equals(track.getKind())) {
					continue;
				}
				RTCRtpSendParameters parameters = sender.getParameters();
				boolean differs = false;
				for (RTCRtpEncodingParameters e : parameters.encodings == null ? List.<RTCRtpEncodingParameters>of()
						: parameters.encodings) {
					double now = e.scaleResolutionDownBy == null ? 1 : e.scaleResolutionDownBy;
					if (now != scale) {
						e.scaleResolutionDownBy = (double) scale;
						differs = true;
					}
				}
				if (differs) {
					sender.setParameters(parameters);
				}
			}
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.DEBUG, () -> "session " + sessionId + ": could not scale the video: " + e);
		}
	}

	/**
	 * The native peer connection, for adding media before the offer (calls). Use it on the signaling executor only,
	 * and never close it: {@link #close} does, and frees it.
	 */
	public RTCPeerConnection connection() {
		return pc;
	}

	public void listener(Listener newListener) {
		this.listener = newListener;
	}

	/**
	 * Opens a DataChannel (an offerer does this before the offer is made, in the {@code prepare} step of
	 * {@link Signaling#offer}).
	 */
	public DataChannelPort openDataChannel(String label, boolean ordered, DataChannelPort.Listener portListener) {
		RTCDataChannelInit init = new RTCDataChannelInit();
		init.ordered = ordered;
		RTCDataChannel channel = pc.createDataChannel(label, init);
		DataChannelPort port = new DataChannelPort(this, channel, executor, portListener);
		ports.add(port);
		return port;
	}

	/** Closes the connection and frees its native objects; the listener hears {@code reason}. Idempotent. */
	public void close(String reason) {
		if (state == State.CLOSED) {
			return;
		}
		state = State.CLOSED;
		closeReason = reason;
		cancel(iceTimer);
		cancel(gatherTimer);
		cancel(disconnectTimer);
		cancel(drainTimer);
		cancel(renegotiationTimer);
		observer.session = null;
		for (DataChannelPort port : ports) {
			port.release();
		}
		try {
			NativeRelease.closeAndRelease(pc);
		} finally {
			for (DataChannelPort port : ports) {
				port.dispose();
			}
			ports.clear();
			factory.settled(this);
			factory.connectionClosed();
		}
		LOG.log(System.Logger.Level.DEBUG, () -> "session " + sessionId + " (" + role + ") closed: " + reason);
		hub.sessionClosed(this);
		if (listener != null) {
			listener.stateChanged(this, State.CLOSED);
			listener.closed(this, reason);
		}
	}

	// ------------------------------------------------------------------ negotiation (driven by Signaling)

	void startOffer() {
		guarded("creating the offer",
				() -> pc.createOffer(new RTCOfferOptions(), described("creating the offer", this::localDescriptionMade)));
	}

	void acceptOffer(String sdp) {
		applyRemote(RTCSdpType.OFFER, sdp, () -> {
			if (listener != null) {
				listener.beforeAnswer(this);
			}
			guarded("creating the answer", () -> pc.createAnswer(new RTCAnswerOptions(),
					described("creating the answer", this::localDescriptionMade)));
		});
	}

	void acceptAnswer(String sdp) {
		applyRemote(RTCSdpType.ANSWER, sdp, () -> setState(State.CONNECTING));
	}

	/**
	 * Runs a native call that reports bad input by throwing (webrtc-java throws for an unparsable description or
	 * candidate instead of calling the observer): the session closes with the reason.
	 */
	private void guarded(String what, Runnable nativeCall) {
		if (state == State.CLOSED) {
			return;
		}
		try {
			nativeCall.run();
		} catch (RuntimeException | Error e) {
			if (e instanceof VirtualMachineError vm) {
				throw vm;
			}
			close(what + " failed: " + e.getMessage());
		}
	}

	/** Whether this session waits for the answer to its offer. */
	boolean awaitsAnswer() {
		return role == Role.OFFERER && state == State.SIGNALING && !remoteDescriptionSet && remoteUfrag.isEmpty();
	}

	void addRemoteCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
		if (state == State.CLOSED) {
			return;
		}
		if (ice.loopback() && !Sdp.isLoopbackCandidate(candidate)) {
			// The loopback workaround talks to 127.0.0.1 only; anything else would leave the machine.
			return;
		}
		RTCIceCandidate c = new RTCIceCandidate(sdpMid == null ? mid : sdpMid, sdpMLineIndex, candidate);
		if (remoteDescriptionSet) {
			addCandidate(c);
		} else {
			pendingRemote.add(c);
		}
	}

	private void applyRemote(RTCSdpType type, String sdp, Runnable then) {
		// From here on, libwebrtc may start this connection's send streams (see AudioFeed).
		factory.settling(this);
		String usable = ice.loopback() ? Sdp.filterCandidates(sdp, Sdp::isLoopbackCandidate) : sdp;
		remoteUfrag = Sdp.iceUfrag(usable);
		remoteFingerprint = Sdp.fingerprint(usable);
		remoteOrigin = Sdp.origin(usable);
		guarded("applying the remote " + type, () -> pc.setRemoteDescription(new RTCSessionDescription(type, usable),
				applied("applying the remote " + type, () -> {
					remoteDescriptionSet = true;
					for (RTCIceCandidate c : pendingRemote) {
						addCandidate(c);
					}
					pendingRemote.clear();
					then.run();
				})));
	}

	private void addCandidate(RTCIceCandidate c) {
		try {
			pc.addIceCandidate(c);
		} catch (RuntimeException | Error e) {
			if (e instanceof VirtualMachineError vm) {
				throw vm;
			}
			// One bad candidate is not fatal: others may work, and the ICE timeout bounds the wait.
			LOG.log(System.Logger.Level.DEBUG, () -> "session " + sessionId + " ignored a candidate: " + e.getMessage());
		}
	}

	private void localDescriptionMade(RTCSessionDescription description) {
		guarded("applying the local description", () -> pc.setLocalDescription(description,
				applied("applying the local description", () -> {
			if (ice.loopback()) {
				postDescription(description.sdpType);
			} else {
				afterGathering = () -> postDescription(description.sdpType);
				if (gatheringDone || pc.getIceGatheringState() == RTCIceGatheringState.COMPLETE) {
					runAfterGathering();
				} else {
					// Candidates found by then travel inside the description; later ones are trickled.
					gatherTimer = executor.schedule(this::runAfterGathering, hub.options().gatherWait().toNanos(),
							TimeUnit.NANOSECONDS);
				}
			}
		})));
	}

	private void runAfterGathering() {
		Runnable r = afterGathering;
		afterGathering = null;
		cancel(gatherTimer);
		if (r != null && state != State.CLOSED) {
			r.run();
		}
	}

	private void postDescription(RTCSdpType type) {
		RTCSessionDescription local = pc.getLocalDescription();
		String sdp = local == null ? "" : local.sdp;
		mid = Sdp.firstMid(sdp);
		if (ice.loopback()) {
			// libwebrtc labels its wildcard socket with the default-route address: announce 127.0.0.1 instead.
			sdp = Sdp.replaceCandidates(sdp,
					List.of("candidate:9 1 udp 2113937151 127.0.0.1 " + loopbackPort + " typ host generation 0"));
		}
		localUfrag = Sdp.iceUfrag(sdp);
		localFingerprint = Sdp.fingerprint(sdp);
		descriptionPosted = true;
		hub.postDescription(this, type == RTCSdpType.OFFER, sdp);
		if (type == RTCSdpType.ANSWER) {
			setState(State.CONNECTING);
		}
	}

	private void localCandidate(RTCIceCandidate candidate) {
		if (state == State.CLOSED || ice.loopback() || !descriptionPosted) {
			return;
		}
		hub.queueCandidate(this, candidate, localUfrag);
	}

	private void connectionChanged(RTCPeerConnectionState s) {
		if (state == State.CLOSED) {
			return;
		}
		switch (s) {
		case CONNECTED -> {
			cancel(disconnectTimer);
			disconnectTimer = null;
			if (state != State.CONNECTED) {
				cancel(iceTimer);
				connectedNanos = System.nanoTime();
				setState(State.CONNECTED);
			}
		}
		case DISCONNECTED -> {
			if (disconnectTimer == null || disconnectTimer.isDone()) {
				disconnectTimer = executor.schedule(() -> close("connection lost"),
						hub.options().disconnectGrace().toNanos(), TimeUnit.NANOSECONDS);
			}
		}
		case FAILED -> close("ICE failed");
		case CLOSED -> close("closed by the peer");
		default -> {
		}
		}
	}

	/** An open channel proves the connection is up, whichever callback arrives first. */
	void channelOpened() {
		connectionChanged(RTCPeerConnectionState.CONNECTED);
	}

	private void setState(State next) {
		// Native callbacks arrive in no fixed order (an applied description may be reported after the channel
		// opened): the state only moves forward.
		if (next.ordinal() <= state.ordinal()) {
			return;
		}
		state = next;
		if (next == State.CONNECTED) {
			factory.settled(this);
		}
		hub.sessionStateChanged(this);
		if (listener != null) {
			listener.stateChanged(this, next);
		}
	}

	void watchDrain(DataChannelPort port) {
		if (drainTimer != null && !drainTimer.isDone()) {
			return;
		}
		drainTimer = executor.scheduleWithFixedDelay(() -> {
			boolean blocked = false;
			for (DataChannelPort p : List.copyOf(ports)) {
				blocked |= p.checkDrained();
			}
			if (!blocked) {
				cancel(drainTimer);
			}
		}, 10, 10, TimeUnit.MILLISECONDS);
	}

	private void remoteChannel(DataChannelPort port) {
		if (state == State.CLOSED) {
			port.release();
			port.dispose();
			return;
		}
		ports.add(port);
		if (listener != null) {
			listener.dataChannel(this, port);
		}
	}

	// ------------------------------------------------------------------ native callbacks

	private CreateSessionDescriptionObserver described(String what, Consumer<RTCSessionDescription> next) {
		return new CreateSessionDescriptionObserver() {
			@Override
			public void onSuccess(RTCSessionDescription description) {
				post(() -> {
					if (state != State.CLOSED) {
						next.accept(description);
					}
				});
			}

			@Override
			public void onFailure(String error) {
				post(() -> close(what + " failed: " + error));
			}
		};
	}

	private SetSessionDescriptionObserver applied(String what, Runnable next) {
		return new SetSessionDescriptionObserver() {
			@Override
			public void onSuccess() {
				post(() -> {
					if (state != State.CLOSED) {
						next.run();
					}
				});
			}

			@Override
			public void onFailure(String error) {
				post(() -> close(what + " failed: " + error));
			}
		};
	}

	private void post(Runnable task) {
		try {
			executor.execute(task);
		} catch (RejectedExecutionException e) {
			// Signaling stopped.
		}
	}

	private static void cancel(ScheduledFuture<?> f) {
		if (f != null) {
			f.cancel(false);
		}
	}

	@Override
	public String toString() {
		return "PeerSession[" + sessionId + " " + role + " " + state + "]";
	}

	/** What libwebrtc holds on to: only this, never the session once it closed. */
	private static final class PcTrampoline implements PeerConnectionObserver {
		volatile PeerSession session;

		PcTrampoline(PeerSession session) {
			this.session = Objects.requireNonNull(session);
		}

		@Override
		public void onIceCandidate(RTCIceCandidate candidate) {
			PeerSession s = session;
			if (s != null) {
				s.post(() -> s.localCandidate(candidate));
			}
		}

		@Override
		public void onIceGatheringChange(RTCIceGatheringState gatheringState) {
			PeerSession s = session;
			if (s != null && gatheringState == RTCIceGatheringState.COMPLETE) {
				s.post(() -> {
					s.gatheringDone = true;
					s.runAfterGathering();
				});
			}
		}

		@Override
		public void onConnectionChange(RTCPeerConnectionState connectionState) {
			PeerSession s = session;
			if (s != null) {
				s.post(() -> s.connectionChanged(connectionState));
			}
		}

		@Override
		public void onDataChannel(RTCDataChannel channel) {
			PeerSession s = session;
			if (s == null) {
				NativeRelease.dispose(channel);
				return;
			}
			// Observed at once, on this thread, so that no early message is missed.
			DataChannelPort port = new DataChannelPort(s, channel, s.executor, null);
			s.post(() -> s.remoteChannel(port));
		}

		@Override
		public void onTrack(RTCRtpTransceiver transceiver) {
			PeerSession s = session;
			if (s != null) {
				s.post(() -> {
					if (s.state != State.CLOSED && s.listener != null) {
						s.listener.track(s, transceiver);
					}
				});
			}
		}
	}
}
