package org.felund.core.node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.felund.api.control.AnchorAnnounce;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ControlEvent;
import org.felund.api.control.ControlMessage;
import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CryptoException;
import org.felund.api.crypto.DecryptedBody;
import org.felund.api.model.ChatMessage;
import org.felund.api.store.MessageStore;
import org.felund.api.transport.ReceiveResult;
import org.felund.core.control.ControlApplier;
import org.felund.protocol.control.ControlEvents;
import org.felund.protocol.wire.Json;

/**
 * The receive path (protocol §4.7): what the node accepts, from any transport, from itself and from other
 * processes on the same home. Each accepted message is stored once (ciphertext at rest), its control event applied,
 * and it is announced to transports and listeners, all in one acceptance order: the order in which this class's
 * lock admitted the messages.
 */
final class Acceptance {
	private static final int ANNOUNCED_CAPACITY = 20_000;

	private final MessageStore messages;
	private final CircleKeys keys;
	private final Members members;
	private final ControlApplier applier;
	private final CallChannels callChannels;
	private final Anchors anchors;
	private final Notifier notifier;
	private final LongSupplier clock;
	private final String selfId;
	/** Serializes store, apply and announce: control events are applied and announced in acceptance order. */
	private final Object lock = new Object();
	/** Messages already announced by this process (so the change feed does not announce them again). */
	private final Set<String> announced = Collections.newSetFromMap(
			new LinkedHashMap<String, Boolean>(1024, 0.75f, false) {
				private static final long serialVersionUID = 1L;

				@Override
				protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
					return size() > ANNOUNCED_CAPACITY;
				}
			});

	Acceptance(MessageStore messages, CircleKeys keys, Members members, ControlApplier applier,
			CallChannels callChannels, Anchors anchors, Notifier notifier, LongSupplier clock, String selfId) {
		this.messages = messages;
		this.keys = keys;
		this.members = members;
		this.applier = applier;
		this.callChannels = callChannels;
		this.anchors = anchors;
		this.notifier = notifier;
		this.clock = clock;
		this.selfId = selfId;
	}

	/** A message that passed the checks: its index in the batch, its plaintext, its at-rest and its wire form. */
	private record Verified(int index, ChatMessage plain, ChatMessage atRest, ChatMessage wire) {
	}

	/** Accepts what a transport received; one result per message, in order. */
	List<ReceiveResult> receiveAll(String circleId, List<ChatMessage> batch, String transportId, String fromNodeId) {
		ReceiveResult[] results = new ReceiveResult[batch.size()];
		Arrays.fill(results, ReceiveResult.REJECTED);
		List<Verified> candidates = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			verify(circleId, i, batch.get(i)).ifPresent(candidates::add);
		}
		if (candidates.isEmpty()) {
			return List.of(results);
		}
		String origin = transportId == null ? "" : transportId;
		List<String> authors = new ArrayList<>();
		synchronized (lock) {
			List<Verified> fresh = new ArrayList<>();
			Set<String> batchIds = new HashSet<>();
			for (Verified v : candidates) {
				String id = v.plain().msgId();
				if (!batchIds.add(id) || messages.contains(circleId, id)) {
					results[v.index()] = ReceiveResult.DUPLICATE; // first accepted copy wins
				} else {
					fresh.add(v);
				}
			}
			Set<String> added = new HashSet<>();
			for (ChatMessage m : messages.putAll(fresh.stream().map(Verified::atRest).toList())) {
				added.add(m.msgId());
			}
			for (Verified v : fresh) {
				if (!added.contains(v.plain().msgId())) {
					results[v.index()] = ReceiveResult.DUPLICATE; // another process stored it meanwhile
					continue;
				}
				results[v.index()] = ReceiveResult.STORED;
				ChatMessage plain = v.plain();
				boolean changed = members.remember(circleId, plain.authorNodeId());
				changed |= members.rememberLiveName(circleId, plain.authorNodeId(), plain.displayName());
				acceptedLocked(circleId, plain, v.wire(), origin, changed);
				authors.add(plain.authorNodeId());
			}
		}
		long now = clock.getAsLong();
		authors.forEach(a -> members.touch(circleId, a, now));
		if (!authors.isEmpty() && fromNodeId != null && !fromNodeId.isBlank() && !fromNodeId.equals(selfId)) {
			members.touch(circleId, fromNodeId, now);
		}
		return List.of(results);
	}

	/**
	 * Stores a message created here (ciphertext at rest), applies it if it is a control event, announces it.
	 *
	 * @return the control message it carried, if it is one
	 */
	Optional<ControlMessage> storeOwn(String circleId, ChatMessage message) {
		synchronized (lock) {
			messages.put(message.ciphertextOnly());
			return Optional.ofNullable(acceptedLocked(circleId, message, message, Node.LOCAL_ORIGIN, false));
		}
	}

	/**
	 * Announces a message another process stored in this home, unless this process announced it already.
	 *
	 * @param atRest the stored (ciphertext-only) copy
	 */
	/** @return whether the message was announced now (false: already announced, or it cannot be opened) */
	boolean announceForeign(String circleId, CircleCrypto cc, ChatMessage atRest) {
		synchronized (lock) {
			if (!announced.add(key(circleId, atRest.msgId()))) {
				return false;
			}
			Optional<ChatMessage> plain = CircleKeys.decrypt(cc, atRest);
			plain.ifPresent(p -> acceptedLocked(circleId, p, CircleKeys.wireReady(cc, p, atRest.enc()),
					Node.STORE_ORIGIN, false));
			return plain.isPresent();
		}
	}

	/**
	 * A wire-ready copy of a stored message: decrypted for the reference's clear fields and MAC, with the stored
	 * envelope as it is. Every receiver opens that envelope (it was verified when stored), so sealing it again for
	 * each send would only spend the circle key's random-nonce budget (issue 14, item 11).
	 */
	Optional<ChatMessage> wireCopy(String circleId, String msgId) {
		Optional<CircleCrypto> cc = keys.of(circleId);
		if (cc.isEmpty() || msgId == null) {
			return Optional.empty();
		}
		return messages.get(circleId, msgId).flatMap(atRest -> CircleKeys.decrypt(cc.get(), atRest)
				.map(plain -> CircleKeys.wireReady(cc.get(), plain, atRest.enc() != null ? atRest.enc()
						: cc.get().seal(plain.header(), plain.displayName(), plain.text()))));
	}

	/** Applies a stored message's control event and queues its announcement; called with the lock held. */
	private ControlMessage acceptedLocked(String circleId, ChatMessage plain, ChatMessage wire, String origin,
			boolean changed) {
		announced.add(key(circleId, plain.msgId()));
		ControlMessage control = null;
		if (plain.isControl()) {
			Optional<ControlEvent> event = ControlEvents.parse(plain.text());
			if (event.isPresent()) {
				control = new ControlMessage(circleId, plain.msgId(), plain.authorNodeId(), plain.displayName(),
						plain.createdTs(), event.get());
				changed |= applier.apply(circleId, control);
				switch (event.get()) {
				case CallEvent e -> callChannels.created(circleId, e);
				case AnchorAnnounce e -> anchors.recordsChanged(circleId);
				default -> {
				}
				}
			}
		}
		notifier.accepted(circleId, wire, origin, control, changed);
		return control;
	}

	/** §4.7 checks that need no lock: circle, decrypt (enc wins, MAC not checked) or legacy MAC. */
	private Optional<Verified> verify(String circleId, int index, ChatMessage message) {
		if (message == null || circleId == null || !circleId.equals(message.circleId())) {
			return Optional.empty();
		}
		Optional<CircleCrypto> maybeCrypto = keys.of(circleId);
		if (maybeCrypto.isEmpty() || hasLoneSurrogate(message)) {
			return Optional.empty();
		}
		CircleCrypto cc = maybeCrypto.get();
		ChatMessage verified;
		if (message.enc() != null) {
			// The envelope decides; the MAC is not checked (reference rule), the clear copy is overwritten.
			try {
				DecryptedBody body = cc.open(message.header(), message.enc());
				if (Json.hasLoneSurrogate(body.displayName()) || Json.hasLoneSurrogate(body.text())) {
					return Optional.empty();
				}
				verified = message.withPlaintext(body.displayName(), body.text());
			} catch (CryptoException | RuntimeException e) {
				return Optional.empty();
			}
		} else {
			if (!cc.verifyLegacyMac(message)) {
				return Optional.empty();
			}
			verified = message;
		}
		// At rest only ciphertext: a schema-1 message gets a local envelope.
		ChatMessage atRest = verified.enc() != null ? verified.ciphertextOnly()
				: verified.withEnvelope(cc.seal(verified.header(), verified.displayName(), verified.text()))
						.ciphertextOnly();
		return Optional.of(new Verified(index, verified, atRest, CircleKeys.wireReady(cc, verified, atRest.enc())));
	}

	private static String key(String circleId, String msgId) {
		return circleId + "/" + msgId;
	}

	private static boolean hasLoneSurrogate(ChatMessage m) {
		return Json.hasLoneSurrogate(m.msgId()) || Json.hasLoneSurrogate(m.circleId())
				|| Json.hasLoneSurrogate(m.channelId()) || Json.hasLoneSurrogate(m.authorNodeId())
				|| Json.hasLoneSurrogate(m.displayName()) || Json.hasLoneSurrogate(m.text());
	}
}
