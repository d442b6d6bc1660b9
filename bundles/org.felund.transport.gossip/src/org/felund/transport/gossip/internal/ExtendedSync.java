package org.felund.transport.gossip.internal;

import java.util.concurrent.TimeUnit;

import org.felund.transport.gossip.internal.GossipSession.Role;
import org.felund.transport.gossip.internal.GossipSession.State;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.util.concurrent.ScheduledFuture;

/**
 * The sync between two Felund nodes (docs/protocol-extensions.md) after PEERS: {@link Reconciliation} until both are
 * caught up, then either goodbye ({@code X_BYE}) or, for the one connection per circle and pair that stays open, live
 * push of every new message through the {@link Outbox}, with keep-alive pings and a periodic refresh (peer list and a
 * healing reconciliation) in place of gossip rounds.
 */
final class ExtendedSync {
	private final GossipSession session;
	private final Outbox outbox;
	private final Reconciliation reconciliation;
	private ScheduledFuture<?> keepAlive;
	private ScheduledFuture<?> refreshTask;

	ExtendedSync(GossipSession session) {
		this.session = session;
		this.outbox = new Outbox(session);
		this.reconciliation = new Reconciliation(session, outbox);
	}

	Outbox outbox() {
		return outbox;
	}

	boolean caughtUp() {
		return reconciliation.caughtUp();
	}

	/** After our PEERS: the client opens reconciliation; both wait for the peer's PEERS. */
	void start() {
		if (session.role() == Role.CLIENT) {
			reconciliation.begin();
		}
		startTimers();
		session.expect(State.EXT_AWAIT_PEERS, session.engine().options().readTimeout());
	}

	void onFirstPeers(ObjectNode frame, String type) throws FrameException {
		if (!Frames.PEERS.equals(type)) {
			throw new FrameException(Frames.ERR_BAD_SYNC_FRAMES, "Expected PEERS, got " + type);
		}
		PeerExchange.mergePeers(session, frame);
		armReadTimeout();
	}

	void onFrame(ObjectNode frame, String type) throws FrameException {
		armReadTimeout();
		switch (type) {
		case Frames.X_RECON -> {
			session.stats.reconFrameIn();
			reconciliation.onRecon(frame.get("r"));
			checkCaughtUp();
		}
		case Frames.X_REQ -> outbox.messages(Inbox.idList(frame, "msg_ids"), true);
		case Frames.X_MSGS -> {
			Inbox.receiveAll(session, frame.get("messages"), outbox.receivedFromPeer());
			reconciliation.onMessages(Frames.flag(frame, "last"));
			checkCaughtUp();
		}
		case Frames.PEERS -> PeerExchange.mergePeers(session, frame);
		case Frames.X_PING -> outbox.frame(Frames.frame(Frames.X_PONG));
		case Frames.X_PONG -> outbox.acks().pong(); // also re-armed the read timer above
		case Frames.X_BYE -> {
			session.finishedNormally();
			session.closeAfterWrites();
		}
		default -> throw new FrameException(null, "Unexpected frame " + type + " in an extended session");
		}
	}

	private void armReadTimeout() {
		session.expect(State.EXT, session.engine().options().readTimeout());
	}

	private void checkCaughtUp() {
		if (!reconciliation.caughtUp()) {
			return;
		}
		if (!session.resultReported()) {
			session.complete();
		}
		if (!session.live() || session.retired()) {
			// Not the live connection between these nodes: say goodbye once our own sends are out.
			outbox.whenDrained(this::sendBye);
		}
	}

	/** No longer the live connection: once caught up and drained, say goodbye (else {@link #checkCaughtUp} will). */
	void retire() {
		if (reconciliation.caughtUp()) {
			outbox.whenDrained(this::sendBye);
		}
	}

	private void sendBye() {
		session.finishedNormally();
		session.write(Frames.frame(Frames.X_BYE));
		session.closeAfterWrites();
	}

	private void startTimers() {
		// Three pings per read timeout: an idle live connection is never mistaken for a dead one.
		long period = Math.max(50, session.engine().options().readTimeout().toMillis() / 3);
		keepAlive = session.channel().executor().scheduleAtFixedRate(() -> {
			if (session.state() != State.EXT) {
				return;
			}
			if (System.nanoTime() - session.lastSentNanos() >= TimeUnit.MILLISECONDS.toNanos(period) && outbox.isEmpty()) {
				outbox.ping();
			}
		}, period, period, TimeUnit.MILLISECONDS);
		long refresh = Math.max(1000, session.engine().options().interval().toMillis() * 12);
		refreshTask = session.channel().executor().scheduleAtFixedRate(this::refresh, refresh, refresh,
				TimeUnit.MILLISECONDS);
	}

	void stopTimers() {
		if (keepAlive != null) {
			keepAlive.cancel(false);
		}
		if (refreshTask != null) {
			refreshTask.cancel(false);
		}
	}

	/**
	 * A live connection replaces the gossip rounds with its peer, so it repeats what a round would bring: the peer
	 * list (both sides, so new members spread) and, from the client, a reconciliation that heals anything missed.
	 */
	private void refresh() {
		if (session.state() != State.EXT || !session.live() || session.retired()) {
			return;
		}
		outbox.frame(PeerExchange.peersFrame(session));
		if (session.role() == Role.CLIENT && reconciliation.caughtUp()) {
			reconciliation.begin();
		}
	}
}
