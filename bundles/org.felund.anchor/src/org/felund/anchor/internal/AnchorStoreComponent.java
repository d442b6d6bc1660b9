package org.felund.anchor.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import org.felund.anchor.SqliteAnchorStore;
import org.felund.api.anchor.AnchorStore;
import org.felund.api.model.ChatMessage;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers the anchor's {@link SqliteAnchorStore}: {@code anchor.db} in the node's home (framework property
 * {@code felund.home}, default {@code ~/.felund}). The file is opened on first use, so a node that never anchors
 * has none.
 */
@Component(service = AnchorStore.class)
public final class AnchorStoreComponent implements AnchorStore {
	static final String HOME_PROPERTY = "felund.home";

	private final Path home;
	private SqliteAnchorStore store;

	@Activate
	public AnchorStoreComponent(BundleContext context) {
		this(context::getProperty);
	}

	AnchorStoreComponent(UnaryOperator<String> property) {
		String h = property.apply(HOME_PROPERTY);
		this.home = h == null || h.isBlank() ? Path.of(System.getProperty("user.home"), ".felund") : Path.of(h.strip());
	}

	private synchronized SqliteAnchorStore store() {
		if (store == null) {
			store = SqliteAnchorStore.open(home);
		}
		return store;
	}

	@Override
	public int push(String circleId, List<ChatMessage> envelopes, long nowSeconds) {
		return store().push(circleId, envelopes, nowSeconds);
	}

	@Override
	public List<ChatMessage> pull(String circleId, long since, int limit) {
		return store().pull(circleId, since, limit);
	}

	@Deactivate
	synchronized void close() {
		if (store != null) {
			store.close();
			store = null;
		}
	}
}
