package org.felund.core.node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.felund.api.control.ControlMessage;
import org.felund.api.node.SystemNote;
import org.felund.api.node.SystemNoteContributor;

/** The plugins that have a say in how control events are told, by event type and ranking. */
final class NoteContributors {
	private static final System.Logger LOG = System.getLogger(NoteContributors.class.getName());

	private record Entry(SystemNoteContributor contributor, Set<String> types, int ranking, long order) {
	}

	private final List<Entry> entries = new CopyOnWriteArrayList<>();
	private long added;

	synchronized void add(SystemNoteContributor contributor, Set<String> types, int ranking) {
		Objects.requireNonNull(contributor, "contributor");
		if (types == null || types.isEmpty()) {
			throw new IllegalArgumentException("A system note contributor names the event types it tells");
		}
		remove(contributor);
		List<Entry> next = new ArrayList<>(entries);
		next.add(new Entry(contributor, Set.copyOf(types), ranking, added++));
		next.sort(Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::order));
		entries.clear();
		entries.addAll(next);
	}

	synchronized void remove(SystemNoteContributor contributor) {
		entries.removeIf(e -> e.contributor() == contributor);
	}

	/** The line after every contributor of the event's type had its say; a failing one is skipped. */
	Optional<SystemNote> describe(ControlMessage message, Optional<SystemNote> proposed) {
		Optional<SystemNote> line = proposed;
		for (Entry e : entries) {
			if (!e.types().contains(message.event().type())) {
				continue;
			}
			try {
				Optional<SystemNote> next = e.contributor().describe(message, line);
				line = next == null ? line : next;
			} catch (RuntimeException ex) {
				LOG.log(System.Logger.Level.WARNING, "a system note contributor failed on " + message.msgId(), ex);
			}
		}
		return line;
	}
}
