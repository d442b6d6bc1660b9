package org.felund.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.felund.api.store.RetentionPolicy;
import org.junit.jupiter.api.Test;

class NodeComponentTest {
	@Test
	void everyCircleKeepsAllHistoryUnlessTheOperatorSetsALimit() {
		assertEquals(RetentionPolicy.KEEP_ALL, NodeComponent.retention(k -> null));
		Map<String, String> props = Map.of(NodeComponent.RETENTION_DAYS, "7", NodeComponent.RETENTION_PER_CIRCLE, "0");
		assertEquals(new RetentionPolicy(7 * 86_400, 0, Map.of()), NodeComponent.retention(props::get));
		Map<String, String> reference = Map.of(NodeComponent.RETENTION_DAYS, "30",
				NodeComponent.RETENTION_PER_CIRCLE, "1000");
		assertEquals(RetentionPolicy.REFERENCE, NodeComponent.retention(reference::get));
		Map<String, String> bad = Map.of(NodeComponent.RETENTION_DAYS, "-1", NodeComponent.RETENTION_PER_CIRCLE, "lots");
		assertEquals(RetentionPolicy.KEEP_ALL, NodeComponent.retention(bad::get), "a bad value deletes nothing");
	}

	@Test
	void transportsAreAttachedAlwaysNeverOrOnceTheSetupIsAnswered() {
		assertEquals(NodeComponent.Attach.ALWAYS, NodeComponent.Attach.of(null));
		assertEquals(NodeComponent.Attach.ALWAYS, NodeComponent.Attach.of("on"));
		assertEquals(NodeComponent.Attach.NEVER, NodeComponent.Attach.of(" OFF "));
		assertEquals(NodeComponent.Attach.AFTER_SETUP, NodeComponent.Attach.of("setup"));
	}
}
