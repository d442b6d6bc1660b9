package org.felund.ui.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.ui.di.UISynchronize;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;

/**
 * Work that may take a while runs in jobs of the family {@link #FAMILY}, never on the UI thread; the status line
 * shows them while they run.
 */
public final class NodeJobs {
	/** The family of every job the workbench starts. */
	public static final Object FAMILY = NodeJobs.class;
	/** How long a join waits for the first message or member to arrive. */
	static final long FIRST_SYNC_SECONDS = Math.max(1, Long.getLong("felund.ui.firstSyncSeconds", 30));

	private NodeJobs() {
	}

	/** A job of the Felund family that runs {@code work} and reports what it throws as the result's message. */
	public static Job job(String name, Work work) {
		Job job = new Job(name) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				try {
					work.run(monitor);
					return Status.OK_STATUS;
				} catch (RuntimeException e) {
					return Status.error(e.getMessage() == null ? e.toString() : e.getMessage(), e);
				}
			}

			@Override
			public boolean belongsTo(Object family) {
				return family == FAMILY;
			}
		};
		job.setUser(true);
		return job;
	}

	@FunctionalInterface
	public interface Work {
		void run(IProgressMonitor monitor);
	}

	/**
	 * Why nobody answered: what the node's transports reported of their attempts (a refused connection, a timeout),
	 * else what they say of themselves (none running, no relay configured).
	 */
	static String unreachedReason(NodeService node, String circleId) {
		StringBuilder why = new StringBuilder("Nobody in the circle answered within " + FIRST_SYNC_SECONDS + " s.");
		java.util.List<org.felund.api.node.ContactFailure> failures;
		try {
			failures = node.contactFailures(circleId);
		} catch (IllegalArgumentException left) {
			failures = java.util.List.of();
		}
		if (!failures.isEmpty()) {
			why.append("\n");
			for (org.felund.api.node.ContactFailure f : failures) {
				why.append("\n\u2022 ").append(f.peer()).append(" (").append(f.transportId()).append("): ")
						.append(f.reason());
			}
			why.append("\n\nThe member who invited you may be offline, or their address cannot be reached from this"
					+ " network.");
		} else if (node.transports().isEmpty()) {
			why.append("\n\nNo transport is running, so nobody could be tried (is the setup finished, and a transport"
					+ " installed?).");
		} else {
			why.append("\n\nNo member could be tried yet:");
			node.transports().forEach((id, state) -> why.append("\n\u2022 ").append(id).append(": ")
					.append(state.detail().isBlank() ? state.mode().name().toLowerCase(java.util.Locale.ROOT)
							: state.detail()));
		}
		return why.toString();
	}

	/**
	 * Joins a circle by invite code, then waits (cancellably, at most {@value #FIRST_SYNC_SECONDS} s) until the
	 * first message or another member arrives. {@code joined} runs on the UI thread as soon as the circle exists,
	 * {@code failed} with a message fit to show when the code is refused.
	 */
	public static Job join(NodeService node, String inviteCode, UISynchronize sync, Consumer<Circle> joined,
			Consumer<String> failed) {
		return join(node, inviteCode, sync, joined, failed, (circle, reason) -> {
		});
	}

	/**
	 * As {@link #join(NodeService, String, UISynchronize, Consumer, Consumer)}; {@code unreached} runs on the UI
	 * thread with the circle and a reason fit to show when no member answered in time (joining again retries).
	 */
	public static Job join(NodeService node, String inviteCode, UISynchronize sync, Consumer<Circle> joined,
			Consumer<String> failed, java.util.function.BiConsumer<Circle, String> unreached) {
		Job job = job("Joining a circle", monitor -> {
			monitor.beginTask("Joining a circle", 2);
			Circle circle;
			CountDownLatch firstSync = new CountDownLatch(1);
			String[] circleId = new String[1];
			NodeListener listener = new NodeListener() {
				@Override
				public void messageAdded(ChatMessage message) {
					// Someone else's message: what this node wrote itself on joining proves no contact.
					if (message.circleId().equals(circleId[0])
							&& !message.authorNodeId().equals(node.identity().nodeId())) {
						firstSync.countDown();
					}
				}

				@Override
				public void circleChanged(String changed) {
					if (changed.equals(circleId[0]) && node.members(changed).size() > 1) {
						firstSync.countDown();
					}
				}
			};
			try {
				circle = node.joinCircle(inviteCode.strip());
			} catch (RuntimeException e) {
				sync.asyncExec(() -> failed.accept(e.getMessage()));
				return;
			}
			circleId[0] = circle.circleId();
			monitor.worked(1);
			sync.asyncExec(() -> joined.accept(circle));
			node.addListener(listener);
			try {
				monitor.subTask("Waiting for a member of the circle to answer");
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FIRST_SYNC_SECONDS);
				boolean synced = false;
				while (!monitor.isCanceled() && System.nanoTime() < deadline
						&& !(synced = node.members(circle.circleId()).size() >= 2
								|| firstSync.await(200, TimeUnit.MILLISECONDS))) {
					// waiting in short steps so that cancelling is prompt
				}
				if (!synced && !monitor.isCanceled() && node.circle(circle.circleId()).isPresent()) {
					String reason = unreachedReason(node, circle.circleId());
					sync.asyncExec(() -> unreached.accept(circle, reason));
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			} finally {
				node.removeListener(listener);
				monitor.done();
			}
		});
		job.schedule();
		return job;
	}
}
