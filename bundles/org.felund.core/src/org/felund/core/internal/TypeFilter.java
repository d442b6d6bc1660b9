package org.felund.core.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.felund.api.control.ControlListener;
import org.felund.api.control.ControlMessage;

/** A whiteboard {@link ControlListener} restricted to the event types its service property names. */
final class TypeFilter implements ControlListener {
	private final ControlListener delegate;
	private final Set<String> types;

	private TypeFilter(ControlListener delegate, Set<String> types) {
		this.delegate = delegate;
		this.types = types;
	}

	/** @param property the {@value ControlListener#TYPES_PROPERTY} value: absent, a String, a String[] or a collection */
	static ControlListener of(ControlListener listener, Object property) {
		Set<String> types = types(property);
		return types.isEmpty() ? new TypeFilter(listener, null) : new TypeFilter(listener, Set.copyOf(types));
	}

	/** The event types a {@value ControlListener#TYPES_PROPERTY} value names (empty: none named). */
	static Set<String> types(Object property) {
		Set<String> types = new LinkedHashSet<>();
		if (property instanceof String s) {
			add(types, s);
		} else if (property instanceof String[] a) {
			for (String s : a) {
				add(types, s);
			}
		} else if (property instanceof Collection<?> c) {
			c.forEach(o -> add(types, String.valueOf(o)));
		}
		return types;
	}

	private static void add(Set<String> types, String value) {
		if (value != null && !value.isBlank()) {
			types.add(value.strip());
		}
	}

	@Override
	public void controlEvent(ControlMessage message, String originTransportId) {
		if (types == null || types.contains(message.event().type())) {
			delegate.controlEvent(message, originTransportId);
		}
	}
}
