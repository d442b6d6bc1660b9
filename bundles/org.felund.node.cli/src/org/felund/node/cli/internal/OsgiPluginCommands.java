package org.felund.node.cli.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.felund.api.cli.NodeCommand;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Plugin commands from the service registry. The node service is up when a command runs, but a plugin's command
 * component may become satisfied a moment later: Declarative Services says which declared commands are not registered
 * yet, and only then does a lookup wait for them (bounded), so that a command no plugin declares fails at once.
 */
final class OsgiPluginCommands implements PluginCommands, AutoCloseable {
	private static final String SERVICE = NodeCommand.class.getName();

	private final ServiceTracker<NodeCommand, NodeCommand> commands;
	private final ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> scr;
	private final Duration patience;

	OsgiPluginCommands(BundleContext context, Duration patience) {
		this.patience = patience;
		commands = new ServiceTracker<>(context, NodeCommand.class, null);
		commands.open();
		scr = new ServiceTracker<>(context, ServiceComponentRuntime.class, null);
		scr.open();
	}

	@Override
	public Lookup find(String name) throws InterruptedException {
		long end = System.nanoTime() + patience.toNanos();
		while (true) {
			Optional<NodeCommand> found = all().stream().filter(c -> c.name().equals(name)).findFirst();
			if (found.isPresent()) {
				return new Lookup(found, "");
			}
			String pending = pending();
			if (pending.isEmpty() || System.nanoTime() - end > 0) {
				return new Lookup(Optional.empty(), pending);
			}
			Thread.sleep(25);
		}
	}

	@Override
	public List<NodeCommand> settled() throws InterruptedException {
		long end = System.nanoTime() + patience.toNanos();
		while (!pending().isEmpty() && System.nanoTime() - end < 0) {
			Thread.sleep(25);
		}
		return all();
	}

	@Override
	public List<NodeCommand> all() {
		List<NodeCommand> out = new ArrayList<>();
		NodeCommand[] registered = commands.getServices(new NodeCommand[0]);
		if (registered != null) {
			out.addAll(List.of(registered));
		}
		out.sort(Comparator.comparing(NodeCommand::name));
		return out;
	}

	/** The declared command components that are not registered yet, and what they wait for; "" when none. */
	private String pending() {
		ServiceComponentRuntime runtime = scr.getService();
		if (runtime == null) {
			return "";
		}
		List<String> waiting = new ArrayList<>();
		for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs()) {
			if (d.serviceInterfaces == null || !List.of(d.serviceInterfaces).contains(SERVICE)
					|| !runtime.isComponentEnabled(d)) {
				continue;
			}
			var configurations = runtime.getComponentConfigurationDTOs(d);
			if (configurations.isEmpty()) {
				waiting.add(d.name + " (not configured yet)");
			}
			for (ComponentConfigurationDTO c : configurations) {
				if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
						|| c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
					List<String> refs = new ArrayList<>();
					for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
						refs.add(r.name);
					}
					waiting.add(d.name + (refs.isEmpty() ? " (waits for its configuration)"
							: " (waits for " + String.join(", ", refs) + ")"));
				}
			}
		}
		return String.join("; ", waiting);
	}

	@Override
	public void close() {
		commands.close();
		scr.close();
	}
}
