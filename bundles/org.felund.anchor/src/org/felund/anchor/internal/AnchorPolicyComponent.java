package org.felund.anchor.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.felund.anchor.ReferenceAnchorPolicy;
import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.model.AnchorRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

/**
 * Registers the {@link ReferenceAnchorPolicy}. Configuration PID {@code org.felund.anchor} (metatype
 * {@code OSGI-INF/metatype/anchor.xml}): {@code offer} (Boolean, default false). A change applies at once.
 */
@Component(name = AnchorPolicyComponent.PID, service = AnchorPolicy.class,
		configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class AnchorPolicyComponent implements AnchorPolicy {
	public static final String PID = "org.felund.anchor";
	public static final String OFFER = "offer";

	private final ReferenceAnchorPolicy policy = new ReferenceAnchorPolicy(false);

	@Activate
	@Modified
	void configure(Map<String, Object> properties) {
		policy.setOffer(offer(properties.get(OFFER)));
	}

	/** Boolean, or its text (a configuration written by hand); anything else is false. */
	static boolean offer(Object value) {
		return value instanceof Boolean b ? b : value != null && Boolean.parseBoolean(String.valueOf(value).strip());
	}

	@Override
	public boolean offersAnchor() {
		return policy.offersAnchor();
	}

	@Override
	public Optional<String> select(String circleId, List<AnchorRecord> candidates, long nowSeconds) {
		return policy.select(circleId, candidates, nowSeconds);
	}

	@Override
	public boolean exchangeWith(String circleId, String peerNodeId, boolean peerCanAnchor) {
		return policy.exchangeWith(circleId, peerNodeId, peerCanAnchor);
	}
}
