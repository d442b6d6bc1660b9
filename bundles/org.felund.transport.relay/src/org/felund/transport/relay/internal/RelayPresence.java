package org.felund.transport.relay.internal;

import java.net.URI;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.felund.api.model.Peer;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.TransportContext;
import org.felund.transport.relay.RelayOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The session's presence at its relay (§7.4, §8.6): the TCP address it advertises (corrected by the host the relay
 * observes), registering it per circle with the circle's signing key, and turning the relay's peer lists into peers
 * and reachability for the node. Scheduler thread only, like the session.
 */
final class RelayPresence {
	/** A signed request through the session (which adopts the relay's clock or registers again when refused). */
	interface SignedCall {
		ObjectNode signed(CircleLink link, String method, String signedPath, URI uri, byte[] body)
				throws RelayException, InterruptedException;
	}

	static final int PEERS_LIMIT = 50;

	private final TransportContext context;
	private final RelayOptions options;
	private final String nodeId;
	private final TcpEndpoint configuredEndpoint;
	private final SignedCall calls;
	private final LongSupplier relayNow;
	/** The host the relay saw our requests come from ("" until it said). */
	private String observedHost = "";

	/**
	 * @param configuredEndpoint the TCP address the options name, or {@code null} to advertise gossip's
	 * @param relayNow the relay's clock in epoch seconds, as far as the session knows it
	 */
	RelayPresence(TransportContext context, RelayOptions options, TcpEndpoint configuredEndpoint, SignedCall calls,
			LongSupplier relayNow) {
		this.context = context;
		this.options = options;
		this.nodeId = context.nodeId();
		this.configuredEndpoint = configuredEndpoint;
		this.calls = calls;
		this.relayNow = relayNow;
	}

	/** Another relay: what the previous one observed says nothing about the next. */
	void forget() {
		observedHost = "";
	}

	/**
	 * The TCP address presence advertises: the configured one, else the first {@code DIRECT} endpoint the node's
	 * transports advertise (gossip's), else none. A host only this network can reach (private, loopback, link-local)
	 * is replaced by the host the relay observes when that one is public: members that meet us through a relay on the
	 * internet could never dial a LAN address, but may reach a forwarded port on our public one.
	 */
	TcpEndpoint advertisedEndpoint() {
		TcpEndpoint endpoint = configuredEndpoint != null ? configuredEndpoint : directEndpoint(context);
		if (endpoint == null) {
			return null;
		}
		if (endpoint.hostFromRelay()) {
			return observedHost.isEmpty() ? null : endpoint.withHost(observedHost);
		}
		if (!observedHost.isEmpty() && TcpEndpoint.isLocalOnly(endpoint.host()) && !TcpEndpoint.isLocalOnly(observedHost)) {
			return endpoint.withHost(observedHost);
		}
		return endpoint;
	}

	/** The first {@code DIRECT} endpoint that parses as {@code host:port}, or {@code null}. */
	static TcpEndpoint directEndpoint(TransportContext context) {
		for (Endpoint e : context.endpoints()) {
			if (e.kind() == Endpoint.Kind.DIRECT) {
				try {
					return TcpEndpoint.parse(e.address());
				} catch (IllegalArgumentException ignored) {
					// Not a TCP address this relay client can advertise; try the next.
				}
			}
		}
		return null;
	}

	void register(CircleLink link, RelayUrl relay) throws RelayException, InterruptedException {
		TcpEndpoint endpoint = advertisedEndpoint();
		ObjectNode reply = calls.signed(link, "POST", RelayRequests.REGISTER, relay.api("register", null),
				RelayRequests.registerBody(nodeId, link.circleHint, endpoint, context.canAnchor(),
						options.presenceTtl().toSeconds(), link.crypto.apiSigningKeyHex()));
		link.registered = true;
		link.registeredEndpoint = endpoint;
		long ttl = options.presenceTtl().toSeconds();
		JsonNode expires = reply.get("expires_at");
		JsonNode serverTime = reply.get("server_time");
		if (expires != null && expires.canConvertToLong() && serverTime != null && serverTime.canConvertToLong()) {
			long granted = expires.longValue() - serverTime.longValue();
			if (granted > 0) {
				ttl = Math.min(ttl, granted);
			}
		}
		// Refreshed at half the lifetime the relay granted (both reference relays grant 30 s or more).
		link.presenceDue = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1000, ttl * 500));
		String observed = reply.path("observed_host").path("host").asText("");
		if (!observed.isEmpty() && TcpEndpoint.isPlausibleHost(observed)) {
			// Evidence for public_reachable (the node judges it against our direct endpoints), renewed each time.
			context.observed(RelaySession.TRANSPORT_ID, observed, false);
		}
		if (!observed.isEmpty() && TcpEndpoint.isPlausibleHost(observed) && !observed.equals(observedHost)) {
			observedHost = observed;
			if (!Objects.equals(endpoint, advertisedEndpoint())) {
				// Now the relay told us our address: register again with the gossip endpoint in it.
				register(link, relay);
			}
		}
	}

	void lookupPeers(CircleLink link, RelayUrl relay) throws RelayException, InterruptedException {
		ObjectNode reply = calls.signed(link, "GET", RelayRequests.PEERS,
				relay.api("peers", RelayRequests.peersQuery(link.circleHint, PEERS_LIMIT)), null);
		Set<String> listed = new HashSet<>();
		for (JsonNode p : reply.path("peers")) {
			String member = p.path("node_id").asText("");
			if (member.isEmpty() || member.length() > 128 || member.equals(nodeId) || !isPrintable(member)) {
				continue;
			}
			listed.add(member);
			TcpEndpoint tcp = firstTcpEndpoint(p.path("endpoints"));
			if (tcp != null) {
				long seen = p.path("observed_at").canConvertToLong() ? p.path("observed_at").asLong() : relayNow.getAsLong();
				context.peerSeen(link.circleId, new Peer(member, tcp.address(), seen), RelaySession.TRANSPORT_ID);
			}
		}
		for (String member : listed) {
			if (!link.reachable.contains(member)) {
				context.reachability(link.circleId, member, RelaySession.TRANSPORT_ID, true);
			}
		}
		for (String member : link.reachable) {
			if (!listed.contains(member)) {
				context.reachability(link.circleId, member, RelaySession.TRANSPORT_ID, false);
			}
		}
		link.reachable = listed;
		link.peersDue = System.nanoTime() + options.peerInterval().toNanos();
	}

	/** The first {@code tcp} endpoint with a usable host and port, as the Python client picks it (§8.6). */
	static TcpEndpoint firstTcpEndpoint(JsonNode endpoints) {
		for (JsonNode e : endpoints) {
			if (!"tcp".equals(e.path("transport").asText(""))) {
				continue;
			}
			String host = e.path("host").asText("");
			JsonNode port = e.path("port");
			if (TcpEndpoint.isPlausibleHost(host) && port.isIntegralNumber() && port.asInt() >= 1
					&& port.asInt() <= 65535) {
				return new TcpEndpoint(host, port.asInt());
			}
		}
		return null;
	}

	private static boolean isPrintable(String s) {
		return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
	}
}
