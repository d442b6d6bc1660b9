package org.felund.ui.addons;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.MApplicationElement;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MPartStack;
import org.eclipse.e4.ui.model.application.ui.basic.MStackElement;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.emf.common.util.TreeIterator;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.felund.ui.settings.PluginConfigurations;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.event.Event;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * Keeps the workbench in step with the plugins that come and go while it runs:
 * <ul>
 * <li>publishes {@link PluginConfigurations} (the settings pages' source) in the application context;</li>
 * <li>when a bundle with a {@value #MODEL_FRAGMENT} header stops, removes everything its model fragment added.
 * The e4 model assembler merges such a fragment when the bundle starts and takes its parts, menu items and tool
 * controls away when it stops, but leaves its commands, handlers and key bindings behind; this removes those
 * too, so a stopped or uninstalled plugin's keys do nothing;</li>
 * <li>shows the side stack ({@value #SIDE_STACK}) only while a plugin has a part in it.</li>
 * </ul>
 */
public class PluginsAddon {
	/** The manifest header through which a plugin contributes a model fragment that follows its bundle's life. */
	public static final String MODEL_FRAGMENT = "Model-Fragment";
	/** Where plugins put parts beside the chat, below the members. */
	public static final String SIDE_STACK = "org.felund.ui.stack.side";

	@Inject
	private MApplication application;
	@Inject
	private EModelService models;
	@Inject
	private UISynchronize sync;

	private BundleContext bundles;
	private PluginConfigurations plugins;
	private final BundleListener stopped = this::bundleChanged;

	@PostConstruct
	void init(IEclipseContext context) {
		Bundle own = FrameworkUtil.getBundle(PluginsAddon.class);
		bundles = own == null ? null : own.getBundleContext();
		if (bundles != null) {
			plugins = new PluginConfigurations(bundles).open();
			context.set(PluginConfigurations.class, plugins);
			bundles.addBundleListener(stopped);
		}
		showSideStackIfUsed();
	}

	private void bundleChanged(BundleEvent event) {
		Bundle bundle = event.getBundle();
		if (event.getType() != BundleEvent.STOPPED || bundle.getBundleId() == bundles.getBundle().getBundleId()
				|| bundle.getHeaders("").get(MODEL_FRAGMENT) == null
				|| bundles.getBundle(0).getState() == Bundle.STOPPING) {
			return;
		}
		String contributor = "platform:/plugin/" + bundle.getSymbolicName();
		sync.asyncExec(() -> removeContributions(contributor));
	}

	/** Removes every model element (with what it contains) that the given contributor added. */
	void removeContributions(String contributorUri) {
		List<EObject> gone = new ArrayList<>();
		for (TreeIterator<EObject> all = ((EObject) application).eAllContents(); all.hasNext();) {
			EObject o = all.next();
			if (o instanceof MApplicationElement e && contributorUri.equals(e.getContributorURI())) {
				gone.add(o);
				all.prune();
			}
		}
		for (EObject o : gone) {
			if (o instanceof MUIElement ui) {
				ui.setToBeRendered(false);
			}
			if (o.eContainer() != null) {
				EcoreUtil.remove(o);
			}
		}
	}

	@Inject
	@Optional
	void childrenChanged(@UIEventTopic(UIEvents.ElementContainer.TOPIC_CHILDREN) Event event) {
		if (event.getProperty(UIEvents.EventTags.ELEMENT) instanceof MPartStack stack
				&& SIDE_STACK.equals(stack.getElementId())) {
			showSideStackIfUsed();
		}
	}

	@Inject
	@Optional
	void renderingChanged(@UIEventTopic(UIEvents.UIElement.TOPIC_TOBERENDERED) Event event) {
		if (event.getProperty(UIEvents.EventTags.ELEMENT) instanceof MUIElement e && e.getParent() != null
				&& SIDE_STACK.equals(e.getParent().getElementId())) {
			showSideStackIfUsed();
		}
	}

	private void showSideStackIfUsed() {
		if (!(models.find(SIDE_STACK, application) instanceof MPartStack stack)) {
			return;
		}
		MStackElement first = stack.getChildren().stream().filter(MUIElement::isToBeRendered).findFirst().orElse(null);
		if (first != null && (stack.getSelectedElement() == null || !stack.getSelectedElement().isToBeRendered())) {
			stack.setSelectedElement(first);
		}
		if (stack.isToBeRendered() != (first != null)) {
			stack.setToBeRendered(first != null);
		}
	}

	@PreDestroy
	void dispose() {
		if (bundles != null) {
			try {
				bundles.removeBundleListener(stopped);
			} catch (IllegalStateException e) {
				// the bundle is stopping already
			}
		}
		if (plugins != null) {
			plugins.close();
		}
	}
}
