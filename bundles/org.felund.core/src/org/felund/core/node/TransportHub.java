package org.felund.core.node;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.felund.api.model.ProtocolException;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;
import org.felund.protocol.invite.InviteCodes;

/**
 * The transports of a node: those attached (working for it) and those only known (a one-shot process keeps them
 * detached, so that it does not fight a running node for its port, but still reads the endpoints they are configured
 * for), and the endpoints each advertises.
 */
final class TransportHub {
	private static final System.Logger LOG = System.getLogger(TransportHub.class.getName());

	private final List<Transport> attached = new CopyOnWriteArrayList<>();
	private final List<Transport> dormant = new CopyOnWriteArrayList<>();
	private final Map<String, List<Endpoint>> advertised = new ConcurrentHashMap<>();
	private final Notifier notifier;
	private final Members members;

	TransportHub(Notifier notifier, Members members) {
		this.notifier = notifier;
		this.members = members;
	}

	void attach(Transport transport, TransportContext context) {
		if (attached.contains(transport)) {
			return;
		}
		attached.add(transport);
		try {
			transport.attach(context);
		} catch (RuntimeException e) {
			attached.remove(transport);
			throw e;
		}
		notifier.transportChanged(transport.id(), stateOf(transport));
	}

	/** @return whether it was attached */
	boolean detach(Transport transport) {
		if (transport == null || !attached.remove(transport)) {
			return false;
		}
		String id = transport.id();
		try {
			transport.detach();
		} finally {
			advertised.remove(id);
			members.transportGone(id);
			notifier.transportRemoved(id);
		}
		return true;
	}

	void addDormant(Transport transport) {
		if (!dormant.contains(transport)) {
			dormant.add(transport);
		}
	}

	void removeDormant(Transport transport) {
		dormant.remove(transport);
	}

	List<Transport> attached() {
		return List.copyOf(attached);
	}

	/**
	 * Replaces what an attached transport advertises; endpoints are checked so invite codes stay readable. Withdrawing
	 * (an empty list) is always allowed: a transport does that while it detaches, after the hub has let it go.
	 */
	void advertise(String transportId, List<Endpoint> endpoints) {
		boolean withdrawing = endpoints == null || endpoints.isEmpty();
		if (withdrawing && transportId != null && attached.stream().noneMatch(t -> transportId.equals(t.id()))) {
			return; // nothing advertised for it any more: detach removed it
		}
		if (transportId == null || attached.stream().noneMatch(t -> transportId.equals(t.id()))) {
			throw new IllegalArgumentException("No attached transport has the id " + transportId);
		}
		List<Endpoint> checked = new ArrayList<>();
		for (Endpoint e : endpoints == null ? List.<Endpoint>of() : endpoints) {
			checked.add(check(transportId, e));
		}
		advertised.put(transportId, List.copyOf(checked));
	}

	/**
	 * Attached transports in attachment order (what each advertised, or while it has not advertised yet what it is
	 * configured for), then the known but detached ones (what they are configured for).
	 */
	List<Endpoint> endpoints() {
		List<Endpoint> out = new ArrayList<>();
		for (Transport t : attached) {
			List<Endpoint> live = advertised.get(t.id());
			out.addAll(live != null ? live : configured(t));
		}
		for (Transport t : dormant) {
			if (!attached.contains(t)) {
				out.addAll(configured(t));
			}
		}
		return List.copyOf(out);
	}

	Map<String, TransportState> states() {
		Map<String, TransportState> out = new LinkedHashMap<>();
		for (Transport t : attached) {
			out.put(t.id(), stateOf(t));
		}
		return out;
	}

	void syncNow(String circleId) {
		for (Transport t : attached) {
			try {
				t.syncNow(circleId);
			} catch (RuntimeException e) {
				LOG.log(Level.WARNING, "Transport " + t.id() + " failed to start a sync", e);
			}
		}
	}

	static TransportState stateOf(Transport t) {
		try {
			return t.state();
		} catch (RuntimeException e) {
			return TransportState.offline(String.valueOf(e.getMessage()));
		}
	}

	private static List<Endpoint> configured(Transport t) {
		try {
			List<Endpoint> out = new ArrayList<>();
			for (Endpoint e : t.configuredEndpoints()) {
				out.add(check(t.id(), e));
			}
			return out;
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, "Transport " + t.id() + " has no usable configured endpoints: " + e.getMessage());
			return List.of();
		}
	}

	private static Endpoint check(String transportId, Endpoint e) {
		if (!transportId.equals(e.transportId())) {
			throw new IllegalArgumentException(
					"Transport " + transportId + " cannot advertise an endpoint of " + e.transportId());
		}
		String address = e.address().strip();
		switch (e.kind()) {
		case DIRECT -> {
			try {
				InviteCodes.parseHostPort(address);
			} catch (ProtocolException ex) {
				throw new IllegalArgumentException("A direct endpoint is host:port, not '" + address + "'", ex);
			}
		}
		case RELAY -> {
			if (!InviteCodes.isRelayUrl(address)) {
				throw new IllegalArgumentException("A relay endpoint is an http(s):// URL, not '" + address + "'");
			}
		}
		}
		return new Endpoint(transportId, e.kind(), address);
	}
}
