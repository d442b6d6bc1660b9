package org.felund.transport.gossip.internal;

import java.util.ArrayList;
import java.util.List;

import org.felund.api.model.ProtocolException;
import org.felund.protocol.sync.Reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Range reconciliation with one peer (docs/protocol-extensions.md): {@code X_RECON} rounds over the circle's key
 * index find what either side lacks; what we have and the peer lacks is queued for sending, what we lack is asked for
 * with {@code X_REQ} (split to fit a line) and arrives as {@code X_MSGS} ending in {@code last}. The peer is caught up
 * with us when the ranges agree and every request is answered. Confined to the session's thread.
 */
final class Reconciliation {
	private final GossipSession session;
	private final Outbox outbox;
	private boolean done;
	private int outstandingRequests;

	Reconciliation(GossipSession session, Outbox outbox) {
		this.session = session;
		this.outbox = outbox;
	}

	/** Both sides agree and nothing we asked for is still on its way. */
	boolean caughtUp() {
		return done && outstandingRequests == 0;
	}

	/** Starts a round (the client does, at the start and at every refresh). */
	void begin() {
		done = false;
		ObjectNode recon = Frames.frame(Frames.X_RECON);
		recon.set("r", reconciler().initial());
		outbox.frame(recon);
	}

	/** A fresh view of the index for every frame: it may have been rebuilt since the last one. */
	private Reconciler reconciler() {
		return new Reconciler(session.engine().index(session.circleId()), session.codec().jsonBudget() - 64);
	}

	/** The peer's ranges: an empty list means it agrees with our last reply; otherwise answer them. */
	void onRecon(JsonNode ranges) throws FrameException {
		if (ranges != null && ranges.isArray() && ranges.isEmpty()) {
			done = true;
			return;
		}
		Reconciler.Outcome outcome;
		try {
			outcome = reconciler().respond(ranges);
		} catch (ProtocolException e) {
			throw new FrameException(null, e.getMessage(), e);
		}
		if (!outcome.push().isEmpty()) {
			outbox.messages(outcome.push(), false);
		}
		request(outcome.request());
		ObjectNode reply = Frames.frame(Frames.X_RECON);
		reply.set("r", outcome.reply());
		outbox.frame(reply);
		done = outcome.done();
	}

	/** An {@code X_MSGS} frame arrived; {@code last} ends the answer to one of our requests. */
	void onMessages(boolean last) {
		if (last && outstandingRequests > 0) {
			outstandingRequests--;
		}
	}

	private void request(List<String> ids) {
		if (ids.isEmpty()) {
			return;
		}
		String circleId = session.circleId();
		int budget = session.codec().jsonBudget() - 64;
		List<String> chunk = new ArrayList<>();
		for (String id : ids) {
			chunk.add(id);
			if (SyncPlanner.idListFrameBytes(Frames.X_REQ, circleId, chunk) > budget) {
				chunk.remove(chunk.size() - 1);
				sendRequest(chunk);
				chunk = new ArrayList<>();
				chunk.add(id);
			}
		}
		sendRequest(chunk);
	}

	private void sendRequest(List<String> chunk) {
		ObjectNode req = Frames.frame(Frames.X_REQ);
		req.put("circle_id", session.circleId());
		ArrayNode list = req.putArray("msg_ids");
		chunk.forEach(list::add);
		outstandingRequests++;
		outbox.frame(req);
	}
}
