package org.felund.calls.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.felund.api.call.CallService;
import org.felund.api.call.MediaSource;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ControlEventService;
import org.felund.api.node.NodeService;
import org.felund.api.node.SystemNoteContributor;
import org.felund.calls.Calls;
import org.felund.calls.CallsOptions;
import org.felund.webrtc.AudioMode;
import org.felund.webrtc.RtcRuntime;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.MetaTypeProvider;

/**
 * Registers the node's {@link CallService}, the chat lines of ignored call events ({@link SystemNoteContributor}) and
 * the settings' description (a {@link MetaTypeProvider} for PID {@value CallsSettings#PID}, listing the devices found).
 * A process started with {@code felund.transports=off} (the command line's one-shot commands) keeps the control plane
 * and runs no media.
 */
@Component(configurationPid = CallsSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class CallsComponent {
	private static final System.Logger LOG = System.getLogger(CallsComponent.class.getName());

	@Reference
	NodeService node;

	@Reference
	ControlEventService control;

	@Reference
	RtcRuntime runtime;

	private BundleContext context;
	private Calls calls;
	private CallsOptions options;
	private ServiceRegistration<?> service;
	private ServiceRegistration<?> notes;
	private ServiceRegistration<?> metatype;

	@Activate
	void activate(BundleContext bundleContext, Map<String, Object> config) {
		context = bundleContext;
		options = settingsOrDefaults(config);
		boolean media = !"off".equalsIgnoreCase(String.valueOf(bundleContext.getProperty("felund.transports")).strip());
		calls = new Calls(node, control, runtime, options, media);
		calls.start();
		Dictionary<String, Object> noteProps = new Hashtable<>();
		noteProps.put(SystemNoteContributor.TYPES_PROPERTY, CallEvent.TYPE);
		notes = bundleContext.registerService(SystemNoteContributor.class, calls.notes(), noteProps);
		Dictionary<String, Object> metaProps = new Hashtable<>();
		metaProps.put(MetaTypeProvider.METATYPE_PID, CallsSettings.PID);
		metatype = bundleContext.registerService(MetaTypeProvider.class,
				new CallsMetaType(() -> sourcesFor(options.audioMode())), metaProps);
		service = bundleContext.registerService(CallService.class, calls, null);
	}

	private List<MediaSource> sourcesFor(AudioMode mode) {
		Calls c = calls;
		return c != null ? c.sources() : List.of();
	}

	private CallsOptions settingsOrDefaults(Map<String, Object> config) {
		try {
			return CallsSettings.options(config::get, context::getProperty);
		} catch (IllegalArgumentException e) {
			LOG.log(System.Logger.Level.WARNING, "Calls settings not usable (" + e.getMessage() + "); using defaults");
			return CallsSettings.options(k -> null, context::getProperty);
		}
	}

	@Modified
	void modified(Map<String, Object> config) {
		try {
			options = CallsSettings.options(config::get, context::getProperty);
			calls.reconfigure(options);
		} catch (IllegalArgumentException e) {
			LOG.log(System.Logger.Level.WARNING, "Calls settings not applied: " + e.getMessage());
		}
	}

	@Deactivate
	void deactivate() {
		for (ServiceRegistration<?> r : new ServiceRegistration<?>[] { service, notes, metatype }) {
			if (r != null) {
				try {
					r.unregister();
				} catch (IllegalStateException e) {
					// Already gone with the bundle.
				}
			}
		}
		calls.close();
	}
}
