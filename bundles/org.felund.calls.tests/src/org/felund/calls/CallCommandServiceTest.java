package org.felund.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.felund.api.cli.NodeCommand;
import org.felund.api.node.NodeService;
import org.felund.protocol.wire.Json;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * In the test framework (OSGi, Declarative Services, the DS node of this fragment's runtime): the calls plugin
 * contributes {@code call} to the node's command line as a {@link NodeCommand} service, and it answers for the node.
 */
class CallCommandServiceTest {
	@Test
	void theCallsPluginContributesTheCallCommand() throws Exception {
		BundleContext context = FrameworkUtil.getBundle(CallCommandServiceTest.class).getBundleContext();
		ServiceTracker<NodeCommand, NodeCommand> commands = new ServiceTracker<>(context, NodeCommand.class, null);
		ServiceTracker<NodeService, NodeService> nodes = new ServiceTracker<>(context, NodeService.class, null);
		commands.open();
		nodes.open();
		try {
			NodeCommand call = commands.waitForService(30_000);
			assertNotNull(call, "no NodeCommand service within 30 s");
			assertEquals("call", call.name());
			assertTrue(call.usage().get(0).startsWith("call start"), call.usage().toString());
			CallNodeCommandTest.Console console = new CallNodeCommandTest.Console();
			assertEquals(NodeCommand.OK, call.run(List.of("status"), console));
			JsonNode status = Json.parse(console.lines.take());
			assertEquals(nodes.getService().identity().nodeId(), status.get("node_id").asText());
			assertEquals("", status.get("current").asText());
		} finally {
			commands.close();
			nodes.close();
		}
	}
}
