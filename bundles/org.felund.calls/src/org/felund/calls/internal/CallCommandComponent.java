package org.felund.calls.internal;

import java.util.List;
import java.util.Map;

import org.felund.api.call.CallService;
import org.felund.api.cli.CommandContext;
import org.felund.api.cli.NodeCommand;
import org.felund.api.node.NodeService;
import org.felund.calls.Calls;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Adds {@code call} to the headless node's command line ({@link CallNodeCommand}) while the calls service is up. A
 * component of its own, so that the command line sees it declared and waits for it while the service starts.
 */
@Component(service = NodeCommand.class)
public final class CallCommandComponent implements NodeCommand {
	@Reference
	CallService calls;

	@Reference
	NodeService node;

	private NodeCommand command;

	@Activate
	void activate(BundleContext context) {
		boolean media = !"off".equalsIgnoreCase(String.valueOf(context.getProperty("felund.transports")).strip());
		Calls impl = calls instanceof Calls c ? c : null;
		command = new CallNodeCommand(calls, node, () -> impl != null ? impl.statistics() : Map.of(), media);
	}

	@Override
	public String name() {
		return command.name();
	}

	@Override
	public List<String> usage() {
		return command.usage();
	}

	@Override
	public int run(List<String> args, CommandContext context) throws InterruptedException {
		return command.run(args, context);
	}
}
