package org.felund.ui.addons;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.Platform;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.workbench.lifecycle.PostContextCreate;
import org.felund.ui.internal.SingleInstance;
import org.felund.ui.internal.Theme;

/**
 * The product's life cycle manager ({@code lifeCycleURI}): before the workbench locks its workspace, a launch on a
 * home whose workbench already runs hands over its command line (and that window comes forward) and ends, instead
 * of failing on the lock. The first launch listens for later ones; {@link FelundAddon} acts on what they send.
 */
public class LifeCycle {
	/** Event topic: a later launch's arguments ({@code List<String>} as the event's data). */
	public static final String TOPIC_ACTIVATE = "org/felund/ui/instance/activate";
	private static final System.Logger LOG = System.getLogger(LifeCycle.class.getName());

	@PostContextCreate
	void claimTheHome(IEclipseContext context) {
		Path home = home();
		List<String> args = List.of(Platform.getApplicationArgs());
		if (SingleInstance.forward(home, args)) {
			System.out.println("Felund is already running on " + home + ": its window was brought forward.");
			System.exit(0);
		}
		Theme.readSystemPreferenceAtStart(); // off the UI thread, while the workbench builds its model
		try {
			IEventBroker broker = context.get(IEventBroker.class);
			SingleInstance instance = SingleInstance.listen(home, later -> broker.post(TOPIC_ACTIVATE, later));
			context.set(SingleInstance.class, instance);
		} catch (IOException | RuntimeException e) {
			LOG.log(System.Logger.Level.WARNING, "A second launch cannot reach this one: " + e.getMessage());
		}
	}

	@org.eclipse.e4.ui.workbench.lifecycle.PostWorkbenchClose
	void releaseTheHome(IEclipseContext context) {
		SingleInstance instance = context.get(SingleInstance.class);
		if (instance != null) {
			instance.close();
		}
	}

	static Path home() {
		String home = System.getProperty("felund.home");
		return home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".felund") : Path.of(home);
	}
}
