package org.felund.testsupport;

import java.util.Arrays;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** Says why Felund's DS components are not active, so a wiring failure explains itself. */
public final class ComponentDiagnostics {
	private ComponentDiagnostics() {
	}

	public static String describe(BundleContext context) {
		StringBuilder out = new StringBuilder();
		for (Bundle b : context.getBundles()) {
			if (b.getSymbolicName().startsWith("org.felund") || b.getSymbolicName().equals("org.apache.felix.scr")) {
				out.append("bundle ").append(b.getSymbolicName()).append(" state=").append(b.getState()).append('\n');
			}
		}
		var ref = context.getServiceReference(ServiceComponentRuntime.class);
		if (ref == null) {
			return out.append("Felix SCR is not running\n").toString();
		}
		ServiceComponentRuntime scr = context.getService(ref);
		for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
			if (!d.bundle.symbolicName.startsWith("org.felund")) {
				continue;
			}
			out.append("component ").append(d.name).append(" enabled=").append(scr.isComponentEnabled(d)).append('\n');
			for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
				out.append("  state=").append(c.state);
				if (c.failure != null) {
					out.append(" failure=").append(c.failure);
				}
				out.append('\n');
				for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
					out.append("  unsatisfied ").append(u.name).append(" targets=")
							.append(Arrays.toString(u.targetServices)).append('\n');
				}
			}
		}
		return out.toString();
	}
}
