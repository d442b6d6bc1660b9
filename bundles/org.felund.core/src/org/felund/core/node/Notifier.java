package org.felund.core.node;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.felund.api.control.ControlListener;
import org.felund.api.control.ControlMessage;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Delivery;
import org.felund.api.node.NodeListener;
import org.felund.api.transport.TransportContext.NodeEvents;
import org.felund.api.transport.TransportState;

/**
 * The node's one event thread and its listeners: UI/CLI listeners, transports' {@link NodeEvents} and control
 * listeners. Everything queued here is delivered in the order it was queued, so callers queue an accepted message
 * while they still hold the lock that decided its acceptance order.
 */
final class Notifier {
	private static final System.Logger LOG = System.getLogger(Notifier.class.getName());

	private final List<NodeListener> nodeListeners = new CopyOnWriteArrayList<>();
	private final List<NodeEvents> transportListeners = new CopyOnWriteArrayList<>();
	private final List<ControlListener> controlListeners = new CopyOnWriteArrayList<>();
	private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "felund-node-events");
		t.setDaemon(true);
		return t;
	});

	void add(NodeListener l) {
		nodeListeners.add(Objects.requireNonNull(l, "listener"));
	}

	void remove(NodeListener l) {
		nodeListeners.remove(l);
	}

	void add(NodeEvents l) {
		transportListeners.add(Objects.requireNonNull(l, "listener"));
	}

	void remove(NodeEvents l) {
		transportListeners.remove(l);
	}

	void add(ControlListener l) {
		controlListeners.add(Objects.requireNonNull(l, "listener"));
	}

	void remove(ControlListener l) {
		controlListeners.remove(l);
	}

	/**
	 * A message was accepted (created here, received, or stored by another process): transports hear of it, a chat
	 * message reaches node listeners, a control event reaches control listeners.
	 */
	void accepted(String circleId, ChatMessage wire, String origin, ControlMessage control, boolean circleChanged) {
		dispatch(() -> {
			transportListeners.forEach(l -> safely(() -> l.messageStored(circleId, wire, origin)));
			if (!wire.isControl()) {
				nodeListeners.forEach(l -> safely(() -> l.messageAdded(wire)));
			}
			if (control != null) {
				controlListeners.forEach(l -> safely(() -> l.controlEvent(control, origin)));
			}
			if (circleChanged) {
				nodeListeners.forEach(l -> safely(() -> l.circleChanged(circleId)));
			}
		});
	}

	void circleAdded(String circleId) {
		dispatch(() -> {
			transportListeners.forEach(l -> safely(() -> l.circleAdded(circleId)));
			nodeListeners.forEach(l -> safely(() -> l.circleChanged(circleId)));
		});
	}

	void circleRemoved(String circleId) {
		dispatch(() -> {
			transportListeners.forEach(l -> safely(() -> l.circleRemoved(circleId)));
			nodeListeners.forEach(l -> safely(() -> l.circleChanged(circleId)));
		});
	}

	void delivered(Delivery delivery) {
		dispatch(() -> nodeListeners.forEach(l -> safely(() -> l.messageDelivered(delivery))));
	}

	void anchorsChanged(String circleId, java.util.List<String> anchors) {
		dispatch(() -> nodeListeners.forEach(l -> safely(() -> l.anchorsChanged(circleId, anchors))));
	}

	void circleChanged(String circleId) {
		dispatch(() -> nodeListeners.forEach(l -> safely(() -> l.circleChanged(circleId))));
	}

	void transportChanged(String transportId, TransportState state) {
		dispatch(() -> nodeListeners.forEach(l -> safely(() -> l.transportChanged(transportId, state))));
	}

	void transportRemoved(String transportId) {
		dispatch(() -> nodeListeners.forEach(l -> safely(() -> l.transportRemoved(transportId))));
	}

	/** Runs work on the event thread, after everything queued before it. */
	void dispatch(Runnable r) {
		try {
			events.execute(r);
		} catch (RejectedExecutionException e) {
			LOG.log(Level.DEBUG, "Node closed; notification dropped");
		}
	}

	boolean await(Duration timeout) throws InterruptedException {
		CountDownLatch done = new CountDownLatch(1);
		try {
			events.execute(done::countDown);
		} catch (RejectedExecutionException e) {
			return true;
		}
		return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	void close() {
		events.shutdown();
		try {
			if (!events.awaitTermination(5, TimeUnit.SECONDS)) {
				events.shutdownNow();
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private static void safely(Runnable r) {
		try {
			r.run();
		} catch (RuntimeException e) {
			LOG.log(Level.WARNING, "A listener failed", e);
		}
	}
}
