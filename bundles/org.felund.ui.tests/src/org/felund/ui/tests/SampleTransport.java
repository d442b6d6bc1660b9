package org.felund.ui.tests;

import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportContext;
import org.felund.api.transport.TransportState;

/** A transport that carries nothing and reports what the test tells it: enough for the status line. */
final class SampleTransport implements Transport {
	private volatile TransportContext context;
	private volatile TransportState state;

	SampleTransport(TransportState state) {
		this.state = state;
	}

	@Override
	public String id() {
		return "sample";
	}

	@Override
	public void attach(TransportContext c) {
		context = c;
	}

	@Override
	public void detach() {
		context = null;
	}

	@Override
	public TransportState state() {
		return state;
	}

	void report(TransportState now) {
		state = now;
		TransportContext c = context;
		if (c != null) {
			c.stateChanged(this);
		}
	}
}
