package org.felund.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.felund.api.store.RetentionPolicy;
import org.junit.jupiter.api.Test;

class NodeComponentTest {
	@Test
	void retentionComesFromFrameworkPropertiesWithReferenceDefaults() {
		assertEquals(RetentionPolicy.REFERENCE, NodeComponent.retention(k -> null));
		Map<String, String> props = Map.of(NodeComponent.RETENTION_DAYS, "7", NodeComponent.RETENTION_PER_CIRCLE, "0");
		assertEquals(new RetentionPolicy(7 * 86_400, 0, Map.of()), NodeComponent.retention(props::get));
		Map<String, String> bad = Map.of(NodeComponent.RETENTION_DAYS, "-1", NodeComponent.RETENTION_PER_CIRCLE, "lots");
		assertEquals(RetentionPolicy.REFERENCE, NodeComponent.retention(bad::get));
	}
}
