package org.felund.calls.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.felund.api.call.Call;
import org.felund.api.call.LocalMedia;
import org.felund.api.call.PeerMedia;
import org.felund.api.call.Role;
import org.felund.calls.CallsOptions;
import org.felund.webrtc.PeerSession;
import org.felund.webrtc.RtcFactory;
import org.felund.webrtc.RtcRuntime;
import org.felund.webrtc.RtcStats;
import org.felund.webrtc.RtcUnavailableException;
import org.felund.webrtc.SignalMailbox;
import org.felund.webrtc.SignalProfile;
import org.felund.webrtc.Signaling;

import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.media.MediaStreamTrack;

/**
 * The media of the one call this node is in (protocol §8.4, §8.5): one connection per peer through the relay's signal
 * mailbox with the media profile {@code media:<call>:<lo>:<hi>}. Participants connect to each other (the smaller node
 * id offers); the host also offers to the first viewers up to the cap; a viewer takes the host's offer only and sends
 * nothing. Failed connections are offered again with back-off while both stay in the call. Everything runs on the
 * calls thread.
 */
final class CallMedia implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(CallMedia.class.getName());
	/** How long a peer that offered before its join arrived may stay unconfirmed (receiving nothing of ours). */
	static final long UNCONFIRMED_NANOS = TimeUnit.SECONDS.toNanos(10);

	/** What the call's owner hears. */
	interface Owner {
		/** Something the media view shows changed. */
		void mediaChanged();

		/** The host's connection is up: the host is alive. */
		void hostHeard(String circleId, String hostNodeId);
	}

	private final String selfId;
	private final String circleHint;
	private final CallsOptions options;
	private final ScheduledExecutorService executor;
	private final Owner owner;
	private final VideoWatches watches;
	private final RtcFactory factory;
	private final SignalMailbox.Lease mailbox;
	/** Our signer of the call's circle at the mailbox; released before the lease. */
	private final AutoCloseable signed;
	private final Signaling signaling;
	private final LocalSources sources;
	private final Map<String, PeerLink> links = new LinkedHashMap<>();
	private final Map<String, Long> unconfirmed = new LinkedHashMap<>();
	private final ScheduledFuture<?> ticks;
	private final AutoCloseable preview;
	private Call call;
	private Role role;
	private boolean cameraOn;
	private boolean closed;
	private long lastStats;
	private ScheduledFuture<?> quickReconcile;
	private volatile LocalMedia local;
	private volatile List<PeerMedia> peers = List.of();

	/**
	 * Starts the media of {@code call}, in which this node is a participant or viewer. Calls thread only.
	 *
	 * @param signer signs the call's signals and reads of the mailbox with the circle's key (protocol §3.8), as a relay
	 *        run with {@code --signatures strict} requires; null to post unsigned
	 * @throws RtcUnavailableException when WebRTC cannot run in this process
	 * @throws IllegalArgumentException for a source id that names nothing
	 */
	CallMedia(String selfId, String circleHint, Call call, URI signalUrl, SignalMailbox.RequestSigner signer,
			RtcRuntime runtime, CallsOptions options, boolean cameraOn, boolean muted, ScheduledExecutorService executor,
			Owner owner, VideoWatches watches)
			throws RtcUnavailableException {
		this.selfId = selfId;
		this.circleHint = circleHint;
		this.options = options;
		this.executor = executor;
		this.owner = owner;
		this.watches = watches;
		this.call = call;
		this.role = call.roleOf(selfId);
		this.factory = runtime.factory(options.audioMode());
		SignalMailbox.Lease lease = null;
		AutoCloseable authorization = () -> {
		};
		LocalSources local = null;
		Signaling sig = null;
		try {
			lease = runtime.mailbox(signalUrl, selfId, options.mailbox());
			// Before the first read, so that a relay that requires signatures reads our circle's signals from the start.
			if (signer != null) {
				authorization = lease.mailbox().authorize(circleHint, signer);
			}
			if (role != Role.VIEWER) {
				local = new LocalSources(factory, shortId(selfId), options.microphone(), options.speaker(),
						options.camera());
				local.setMuted(muted);
			}
			sig = new Signaling(selfId, factory, lease.mailbox(), SignalProfile.media(call.sessionId()), options.ice(),
					options.signaling(), executor, this::accept);
		} catch (RuntimeException e) {
			if (local != null) {
				local.close();
			}
			closeQuietly(authorization);
			if (lease != null) {
				lease.close();
			}
			factory.close();
			throw e;
		}
		this.mailbox = lease;
		this.signed = authorization;
		this.sources = local;
		this.signaling = sig;
		this.cameraOn = cameraOn && local != null && local.cameraAvailable();
		this.preview = local == null ? () -> {
		} : watches.attachLocal(selfId, local.video());
		signaling.start();
		signaling.expectSignals(java.time.Duration.ofSeconds(10));
		ticks = executor.scheduleWithFixedDelay(this::tick, 50, 50, TimeUnit.MILLISECONDS);
		reconcile();
		publish();
	}

	String sessionId() {
		return call.sessionId();
	}

	Role role() {
		return role;
	}

	LocalMedia local() {
		return local;
	}

	List<PeerMedia> peers() {
		return peers;
	}

	/** The call changed (people joined, watched, left, were revoked). */
	void update(Call next) {
		call = next;
		role = next.roleOf(selfId);
		reconcile();
		publish();
	}

	void setMuted(boolean mute) {
		if (sources == null) {
			throw new IllegalStateException("A viewer has no microphone to mute");
		}
		sources.setMuted(mute);
		publish();
	}

	/** Turns video on or off with every peer (renegotiates). */
	void setCamera(boolean on) {
		if (sources == null) {
			throw new IllegalStateException("A viewer sends no video");
		}
		if (on && !sources.cameraAvailable()) {
			throw new IllegalStateException("There is no camera: this call is audio only");
		}
		if (cameraOn == on) {
			return;
		}
		cameraOn = on;
		for (PeerLink link : links.values()) {
			if (link.session != null && link.session.state() != PeerSession.State.CLOSED
					&& !unconfirmed.containsKey(link.nodeId)) {
				applyVideoDirection(link);
				link.session.renegotiate();
			}
		}
		publish();
	}

	// ---------------------------------------------------------------- who connects to whom

	/** The peers this node exchanges media with now. */
	private Set<String> wanted() {
		Set<String> out = new LinkedHashSet<>();
		switch (role) {
		case VIEWER -> {
			if (call.participants().contains(call.hostNodeId())) {
				out.add(call.hostNodeId());
			}
		}
		case PARTICIPANT, HOST -> {
			for (String p : call.participants()) {
				if (!p.equals(selfId)) {
					out.add(p);
				}
			}
			if (role == Role.HOST) {
				out.addAll(call.servedViewers(options.viewerCap()));
			}
		}
		case NONE -> {
		}
		}
		return out;
	}

	/** Participants: the smaller id offers; the host always offers to viewers; viewers never offer. */
	private boolean weOffer(String peer) {
		if (role == Role.VIEWER) {
			return false;
		}
		if (role == Role.HOST && call.viewers().contains(peer)) {
			return true;
		}
		return SignalProfile.offersFirst(selfId, peer);
	}

	private void reconcile() {
		if (closed) {
			return;
		}
		Set<String> wanted = wanted();
		for (PeerLink link : List.copyOf(links.values())) {
			if (!wanted.contains(link.nodeId) && !unconfirmed.containsKey(link.nodeId)) {
				links.remove(link.nodeId);
				if (link.session != null) {
					link.session.close(call.includes(link.nodeId) ? "no longer served" : "left the call");
				}
			}
		}
		long now = System.nanoTime();
		boolean waiting = false;
		for (String peer : wanted) {
			PeerLink link = links.get(peer);
			if (link == null) {
				link = new PeerLink(peer, weOffer(peer), watches.sinks(peer));
				link.startedNanos = now;
				links.put(peer, link);
				if (!link.weOffer) {
					signaling.expectSignals(java.time.Duration.ofSeconds(10));
				}
			}
			link.role = call.roleOf(peer);
			if (unconfirmed.remove(peer) != null && link.session != null) {
				// Its join arrived: it gets our media now.
				attachLocal(link.session, link);
				link.session.renegotiate();
			}
			if (link.weOffer && (link.session == null || link.session.state() == PeerSession.State.CLOSED)) {
				if (now - link.nextAttemptNanos >= 0 && signaling.canOffer(peer)) {
					offer(link);
				} else {
					waiting = true;
				}
			}
		}
		if (waiting && quickReconcile == null) {
			quickReconcile = executor.schedule(() -> {
				quickReconcile = null;
				reconcile();
			}, 50, TimeUnit.MILLISECONDS);
		}
	}

	private void offer(PeerLink link) {
		if (link.attempts == 0 || link.session == null) {
			link.startedNanos = link.attempts == 0 ? link.startedNanos : System.nanoTime();
		}
		PeerSession s = signaling.offer(link.nodeId, circleHint, listener(link), session -> prepareOffer(session, link));
		if (s != null) {
			link.session = s;
			link.attempts++;
			owner.mediaChanged();
		}
	}

	/** Our side of a new connection we offer: an audio and a video transceiver. */
	private void prepareOffer(PeerSession session, PeerLink link) {
		boolean toViewer = link.role == Role.VIEWER;
		RTCRtpTransceiverInit audio = new RTCRtpTransceiverInit();
		audio.direction = toViewer ? RTCRtpTransceiverDirection.SEND_ONLY : RTCRtpTransceiverDirection.SEND_RECV;
		audio.streamIds = List.of(streamId());
		session.connection().addTransceiver(sources.audio(), audio);
		RTCRtpTransceiverInit video = new RTCRtpTransceiverInit();
		video.direction = videoDirection(toViewer);
		video.streamIds = List.of(streamId());
		session.connection().addTransceiver(sources.video(), video);
	}

	private RTCRtpTransceiverDirection videoDirection(boolean toViewer) {
		if (cameraOn) {
			return toViewer ? RTCRtpTransceiverDirection.SEND_ONLY : RTCRtpTransceiverDirection.SEND_RECV;
		}
		return toViewer ? RTCRtpTransceiverDirection.INACTIVE : RTCRtpTransceiverDirection.RECV_ONLY;
	}

	/** An offer from a peer: viewers take the host's only; participants take participants' (and, for a while, peers whose join has not arrived yet, without sending them anything). */
	private Signaling.Acceptance accept(Signaling.IncomingOffer offer) {
		if (closed) {
			return null;
		}
		String peer = offer.peerNodeId();
		PeerLink link = links.get(peer);
		if (role == Role.VIEWER) {
			return peer.equals(call.hostNodeId()) && link != null ? new Signaling.Acceptance(circleHint, listener(link))
					: null;
		}
		if (link == null) {
			if (call.viewers().contains(peer) || !(role == Role.PARTICIPANT || role == Role.HOST)) {
				return null; // viewers never offer
			}
			link = new PeerLink(peer, false, watches.sinks(peer));
			link.startedNanos = System.nanoTime();
			links.put(peer, link);
			unconfirmed.put(peer, System.nanoTime());
		} else if (link.weOffer && link.role == Role.VIEWER) {
			return null;
		}
		PeerLink target = link;
		return new Signaling.Acceptance(circleHint, listener(target));
	}

	private PeerSession.Listener listener(PeerLink link) {
		return new PeerSession.Listener() {
			@Override
			public void stateChanged(PeerSession session, PeerSession.State state) {
				if (link.session == null && state != PeerSession.State.CLOSED) {
					link.session = session;
				}
				if (session != link.session) {
					return;
				}
				if (state == PeerSession.State.CONNECTED) {
					link.connectedMs = Math.max(1, (System.nanoTime() - link.startedNanos) / 1_000_000);
					link.attempts = 0;
					link.lastProblem = "";
					ensureVideoTransceiver(session, link);
					if (link.nodeId.equals(call.hostNodeId())) {
						owner.hostHeard(call.circleId(), call.hostNodeId());
					}
					readStats(link);
				}
				publish();
			}

			@Override
			public void beforeAnswer(PeerSession session) {
				link.session = session;
				if (role != Role.VIEWER && !unconfirmed.containsKey(link.nodeId)) {
					attachLocal(session, link);
				} else {
					for (RTCRtpTransceiver t : session.connection().getTransceivers()) {
						t.setDirection(RTCRtpTransceiverDirection.RECV_ONLY);
					}
				}
			}

			@Override
			public void track(PeerSession session, RTCRtpTransceiver transceiver) {
				// An answerer hears of the offer's tracks while it applies the offer, before its own answer.
				if (link.session == null && session.state() != PeerSession.State.CLOSED) {
					link.session = session;
				}
				if (session == link.session) {
					link.track(transceiver.getReceiver().getTrack());
				}
			}

			@Override
			public void renegotiated(PeerSession session) {
				publish();
			}

			@Override
			public void closed(PeerSession session, String reason) {
				if (session != link.session) {
					return;
				}
				link.sessionGone();
				link.lastProblem = reason;
				long backoff = Math.min(options.retryMax().toNanos(),
						options.retryMin().toNanos() << Math.min(10, Math.max(0, link.attempts - 1)));
				link.nextAttemptNanos = System.nanoTime() + backoff;
				LOG.log(System.Logger.Level.DEBUG, () -> "media with " + link.nodeId + " closed: " + reason);
				publish();
				reconcile();
			}
		};
	}

	/** Gives a peer our audio and video on the transceivers its offer made (answerer side). */
	private void attachLocal(PeerSession session, PeerLink link) {
		if (sources == null) {
			return;
		}
		for (RTCRtpTransceiver t : session.connection().getTransceivers()) {
			String kind = t.getReceiver().getTrack().getKind();
			if (MediaStreamTrack.AUDIO_TRACK_KIND.equals(kind)) {
				if (t.getSender().getTrack() == null) {
					t.getSender().replaceTrack(sources.audio());
					t.getSender().setStreams(List.of(streamId()));
				}
				t.setDirection(RTCRtpTransceiverDirection.SEND_RECV);
			} else if (MediaStreamTrack.VIDEO_TRACK_KIND.equals(kind)) {
				if (t.getSender().getTrack() == null) {
					t.getSender().replaceTrack(sources.video());
					t.getSender().setStreams(List.of(streamId()));
				}
				t.setDirection(videoDirection(link.role == Role.VIEWER));
			}
		}
	}

	private void applyVideoDirection(PeerLink link) {
		boolean any = false;
		for (RTCRtpTransceiver t : link.session.connection().getTransceivers()) {
			if (MediaStreamTrack.VIDEO_TRACK_KIND.equals(t.getReceiver().getTrack().getKind())) {
				if (t.getSender().getTrack() == null) {
					t.getSender().replaceTrack(sources.video());
				}
				t.setDirection(videoDirection(link.role == Role.VIEWER));
				any = true;
			}
		}
		if (!any && cameraOn) {
			addVideoTransceiver(link.session, link);
		}
	}

	/** A peer that offered audio only (a browser without a camera) gets a video line of ours once connected. */
	private void ensureVideoTransceiver(PeerSession session, PeerLink link) {
		if (sources == null || !cameraOn || unconfirmed.containsKey(link.nodeId)) {
			return;
		}
		for (RTCRtpTransceiver t : session.connection().getTransceivers()) {
			if (MediaStreamTrack.VIDEO_TRACK_KIND.equals(t.getReceiver().getTrack().getKind())) {
				return;
			}
		}
		addVideoTransceiver(session, link);
		session.renegotiate();
	}

	private void addVideoTransceiver(PeerSession session, PeerLink link) {
		RTCRtpTransceiverInit video = new RTCRtpTransceiverInit();
		video.direction = videoDirection(link.role == Role.VIEWER);
		video.streamIds = List.of(streamId());
		session.connection().addTransceiver(sources.video(), video);
	}

	private String streamId() {
		return "felund-" + shortId(selfId);
	}

	// ---------------------------------------------------------------- upkeep

	private void tick() {
		if (closed) {
			return;
		}
		try {
			long now = System.nanoTime();
			for (Map.Entry<String, Long> e : List.copyOf(unconfirmed.entrySet())) {
				if (now - e.getValue() > UNCONFIRMED_NANOS) {
					unconfirmed.remove(e.getKey());
					PeerLink link = links.remove(e.getKey());
					if (link != null && link.session != null) {
						link.session.close("not in the call");
					}
				}
			}
			reconcile();
			if (now - lastStats >= options.statsInterval().toNanos()) {
				lastStats = now;
				for (PeerLink link : links.values()) {
					readStats(link);
				}
				publish();
			}
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.WARNING, "call media upkeep failed", e);
		}
	}

	private void readStats(PeerLink link) {
		PeerSession s = link.session;
		if (s == null || s.state() == PeerSession.State.CLOSED) {
			return;
		}
		s.stats(report -> {
			if (link.session == s) {
				boolean arrived = link.stats(RtcStats.of(report));
				// The host is heard while its packets arrive, not while a dead path still counts as connected.
				if (arrived && s.state() == PeerSession.State.CONNECTED && link.nodeId.equals(call.hostNodeId())) {
					owner.hostHeard(call.circleId(), call.hostNodeId());
				}
			}
		});
	}

	/** Takes new snapshots for other threads and tells the owner. */
	private void publish() {
		if (closed) {
			return;
		}
		List<PeerMedia> list = new ArrayList<>();
		for (PeerLink link : links.values()) {
			if (!unconfirmed.containsKey(link.nodeId)) {
				list.add(link.snapshot());
			}
		}
		peers = List.copyOf(list);
		local = new LocalMedia(call.sessionId(), role, sources != null && sources.muted(), cameraOn,
				sources != null && sources.cameraAvailable(), sources == null ? "" : sources.audioLabel(),
				sources == null ? "" : sources.videoLabel(), "");
		owner.mediaChanged();
	}

	/** Link of a peer, for tests and the command line's statistics. */
	PeerLink link(String nodeId) {
		return links.get(nodeId);
	}

	Signaling signaling() {
		return signaling;
	}

	double sentLevel() {
		return sources == null ? 0 : sources.sentLevel();
	}

	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		ticks.cancel(false);
		if (quickReconcile != null) {
			quickReconcile.cancel(false);
		}
		try {
			preview.close();
		} catch (Exception e) {
			// Nothing to release.
		}
		signaling.close();
		links.clear();
		if (sources != null) {
			sources.close();
		}
		closeQuietly(signed);
		mailbox.close();
		factory.close();
		peers = List.of();
	}

	private static void closeQuietly(AutoCloseable c) {
		try {
			c.close();
		} catch (Exception e) {
			LOG.log(System.Logger.Level.DEBUG, "releasing the call's signal key: " + e);
		}
	}

	static String shortId(String nodeId) {
		return nodeId.length() <= 12 ? nodeId : nodeId.substring(0, 12);
	}
}
