package org.felund.testsupport;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The scaffolding of component tests in the test framework, under the real Felix SCR, Configuration Admin and
 * Metatype: the framework's context, waiting for a service, and reading a component's metatype.
 */
public final class OsgiComponents {
	/** Declarative Services, Configuration Admin and Metatype: what every component test needs running. */
	public static final List<String> DS_STACK = List.of("org.apache.felix.scr", "org.apache.felix.configadmin",
			"org.apache.felix.metatype");

	private OsgiComponents() {
	}

	/**
	 * Starts the host bundle when it is stopped, and {@link #DS_STACK} with {@code alsoStarted}; returns the system
	 * bundle's context, which stays valid while a test stops the host.
	 *
	 * @throws AssertionError when a required bundle is not in the test framework
	 */
	public static BundleContext frameworkContext(Bundle host, String... alsoStarted) throws BundleException {
		if (host.getBundleContext() == null) {
			host.start();
		}
		BundleContext ctx = host.getBundleContext();
		for (String required : Stream.concat(DS_STACK.stream(), Arrays.stream(alsoStarted)).toList()) {
			Bundle b = Arrays.stream(ctx.getBundles()).filter(x -> x.getSymbolicName().equals(required)).findFirst()
					.orElseThrow(() -> new AssertionError(required + " is not in the test framework"));
			if (b.getState() != Bundle.ACTIVE) {
				b.start();
			}
		}
		return ctx.getBundle(0).getBundleContext();
	}

	/**
	 * The first service of a type (and filter) once it is registered.
	 *
	 * @param filter an LDAP filter, or {@code null}
	 * @throws AssertionError when none is registered within the timeout
	 */
	public static <S> S awaitService(BundleContext ctx, Class<S> type, String filter, Duration timeout)
			throws InvalidSyntaxException, InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() - end < 0) {
			var refs = ctx.getServiceReferences(type, filter);
			if (!refs.isEmpty()) {
				S s = ctx.getService(refs.iterator().next());
				if (s != null) {
					return s;
				}
			}
			Thread.sleep(20);
		}
		throw new AssertionError("No " + type.getSimpleName() + " " + (filter == null ? "" : filter));
	}

	/**
	 * A component's configuration as its metatype (the source of its preference page) describes it.
	 *
	 * @param ids every attribute id
	 * @param defaults each attribute's default: one value, or the array of a multi-valued attribute
	 */
	public record Metatype(ObjectClassDefinition definition, Set<String> ids, Map<String, Object> defaults) {
		public AttributeDefinition attribute(String id) {
			return Arrays.stream(definition.getAttributeDefinitions(ObjectClassDefinition.ALL))
					.filter(a -> a.getID().equals(id)).findFirst()
					.orElseThrow(() -> new AssertionError("no attribute " + id));
		}
	}

	/**
	 * Reads the metatype of {@code pid} in {@code host} through the Metatype service.
	 *
	 * @throws AssertionError when there is none, or an attribute lacks a label or a description
	 */
	public static Metatype metatype(BundleContext ctx, Bundle host, String pid, Duration timeout)
			throws InvalidSyntaxException, InterruptedException {
		ObjectClassDefinition ocd = awaitService(ctx, MetaTypeService.class, null, timeout)
				.getMetaTypeInformation(host).getObjectClassDefinition(pid, null);
		if (ocd == null) {
			throw new AssertionError("no metatype of " + pid);
		}
		Set<String> ids = new TreeSet<>();
		Map<String, Object> defaults = new LinkedHashMap<>();
		for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
			ids.add(ad.getID());
			if (ad.getName() == null || ad.getName().isBlank() || ad.getDescription() == null
					|| ad.getDescription().isBlank()) {
				throw new AssertionError(ad.getID() + " needs a label and help");
			}
			if (ad.getDefaultValue() != null) {
				defaults.put(ad.getID(), ad.getCardinality() == 0 ? ad.getDefaultValue()[0] : ad.getDefaultValue());
			}
		}
		return new Metatype(ocd, Collections.unmodifiableSet(ids), Collections.unmodifiableMap(defaults));
	}
}
