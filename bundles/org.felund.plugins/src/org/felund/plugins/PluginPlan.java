package org.felund.plugins;

import java.util.List;

/**
 * A change resolved by p2 and not applied yet ({@link PluginService#plan}). Apply it with
 * {@link PluginService#apply} of the same service, once.
 */
public interface PluginPlan {
	PluginRequest request();

	/** What would be added, updated and removed; plugin features first. Empty when there is nothing to do. */
	List<PluginChange> changes();

	/** The licenses to accept before applying (those accepted before are left out). */
	List<PluginLicense> licenses();

	/** One line for people: what this plan does, or why there is nothing to do. */
	String summary();

	default boolean isEmpty() {
		return changes().isEmpty();
	}
}
