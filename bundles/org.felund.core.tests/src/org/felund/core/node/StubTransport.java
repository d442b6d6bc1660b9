package org.felund.core.node;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.felund.api.transport.Endpoint;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;

/** A transport that sends nothing: records what the node does to it and advertises what a test tells it to. */
class StubTransport implements Transport {
	final String id;
	final List<String> calls = new CopyOnWriteArrayList<>();
	final List<Endpoint> configured = new CopyOnWriteArrayList<>();
	volatile TransportContext context;
	volatile TransportState state = new TransportState(TransportState.Mode.LIVE, 2, "test");
	/** Withdraws its endpoints while detaching, as the gossip transport does. */
	volatile boolean withdrawsOnDetach;

	StubTransport(String id) {
		this.id = id;
	}

	/** A gossip-like transport configured for {@code host:port}. */
	static StubTransport direct(String hostPort) {
		StubTransport t = new StubTransport("gossip");
		t.configured.add(new Endpoint("gossip", Endpoint.Kind.DIRECT, hostPort));
		return t;
	}

	@Override
	public String id() {
		return id;
	}

	@Override
	public void attach(TransportContext ctx) {
		context = ctx;
		calls.add("attach");
	}

	@Override
	public void detach() {
		if (withdrawsOnDetach) {
			context.advertise(id, List.of());
		}
		calls.add("detach");
	}

	@Override
	public TransportState state() {
		return state;
	}

	@Override
	public void syncNow(String circleId) {
		calls.add("sync " + circleId);
	}

	@Override
	public List<Endpoint> configuredEndpoints() {
		return List.copyOf(configured);
	}
}
