package org.felund.transport.webrtc.internal;

import static org.felund.transport.webrtc.WebRtcTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.felund.api.transport.Transport;
import org.felund.transport.webrtc.TestRelay;
import org.felund.transport.webrtc.WebRtcOptions;
import org.felund.transport.webrtc.WebRtcTestNode;
import org.felund.webrtc.RtcRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The WebRTC plugin as the products run it, under the real Felix SCR, Configuration Admin and Metatype: the metatype
 * (the source of its preference page) matches what the component reads; a configured component opens a real channel
 * to another node, is switched off and on by its configuration, and a bundle stop takes its service away.
 */
class WebRtcComponentInOsgiTest {
	private static final Duration WAIT = Duration.ofSeconds(30);
	private static final String FILTER = "(transport.id=webrtc)";

	@TempDir
	Path tmp;

	private final Bundle host = FrameworkUtil.getBundle(WebRtcTransportComponent.class);

	/** The system bundle's context (valid while the host is stopped), with SCR, Configuration Admin, Metatype. */
	private BundleContext context() throws Exception {
		if (host.getBundleContext() == null) {
			host.start();
		}
		BundleContext ctx = host.getBundleContext();
		for (String required : List.of("org.apache.felix.scr", "org.apache.felix.configadmin",
				"org.apache.felix.metatype", "org.felund.webrtc")) {
			Bundle b = Arrays.stream(ctx.getBundles()).filter(x -> x.getSymbolicName().equals(required)).findFirst()
					.orElseThrow(() -> new AssertionError(required + " is not in the test framework"));
			if (b.getState() != Bundle.ACTIVE) {
				b.start();
			}
		}
		return ctx.getBundle(0).getBundleContext();
	}

	private static <S> S service(BundleContext ctx, Class<S> type, String filter) throws Exception {
		long end = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < end) {
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

	@Test
	void theMetatypeDescribesExactlyWhatTheComponentReadsWithItsDefaults() throws Exception {
		BundleContext ctx = context();
		ObjectClassDefinition ocd = service(ctx, MetaTypeService.class, null).getMetaTypeInformation(host)
				.getObjectClassDefinition(WebRtcSettings.PID, null);
		assertNotNull(ocd, "the metatype of " + WebRtcSettings.PID);
		Set<String> ids = new TreeSet<>();
		Map<String, Object> defaults = new HashMap<>();
		for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
			ids.add(ad.getID());
			assertFalse(ad.getName().isBlank() || ad.getDescription().isBlank(), ad.getID() + " needs a label and help");
			if (ad.getDefaultValue() != null) {
				defaults.put(ad.getID(), ad.getCardinality() == 0 ? ad.getDefaultValue()[0] : ad.getDefaultValue());
			}
		}
		assertEquals(new TreeSet<>(List.of(WebRtcSettings.ENABLED, WebRtcSettings.RELAY_URL,
				WebRtcSettings.ICE_SERVERS, WebRtcSettings.ICE_USERNAME, WebRtcSettings.ICE_CREDENTIAL,
				WebRtcSettings.PORT_MIN, WebRtcSettings.PORT_MAX, WebRtcSettings.LOOPBACK)), ids);
		assertEquals(WebRtcOptions.defaults(), WebRtcSettings.options(defaults::get, k -> null));
	}

	@Test
	void aConfiguredComponentOpensAChannelIsSwitchedOffAndOnAndLeavesWithItsBundle() throws Exception {
		BundleContext ctx = context();
		Configuration config = service(ctx, ConfigurationAdmin.class, null).getConfiguration(WebRtcSettings.PID, "?");
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db")).start();
				WebRtcTestNode a = WebRtcTestNode.create(tmp.resolve("a"));
				WebRtcTestNode b = WebRtcTestNode.create(tmp.resolve("b"))) {
			String circle = a.node.createCircle("club").circle().circleId();
			b.node.joinCircle(a.node.inviteCode(circle, "127.0.0.1:1"));
			Hashtable<String, Object> on = new Hashtable<>(Map.of(WebRtcSettings.RELAY_URL, relay.url(),
					WebRtcSettings.LOOPBACK, true, WebRtcSettings.ENABLED, true));
			config.update(on);
			Transport transport = service(ctx, Transport.class, FILTER);
			a.withRelay(WebRtcTestNode.fastRelay(relay.url()));
			a.node.attach(transport);
			// The other node uses the framework's shared runtime too, as a second plugin would.
			b.withRelay(WebRtcTestNode.fastRelay(relay.url())).withWebRtc(service(ctx, RtcRuntime.class, null),
					WebRtcTestNode.fast(relay.url()));
			await("a channel between the component and the other node", WAIT,
					() -> "p2p(1)".equals(transport.state().label()) && b.channelTo(a, circle),
					() -> transport.state() + " / " + b.webrtc.state());

			Hashtable<String, Object> off = new Hashtable<>(on);
			off.put(WebRtcSettings.ENABLED, false);
			config.update(off);
			await("the channel to close when switched off", WAIT,
					() -> "p2p off".equals(a.node.transports().get("webrtc").label()) && !b.channelTo(a, circle),
					() -> a.node.transports() + " / " + b.webrtc.state());

			config.update(on);
			await("a channel again when switched on", WAIT,
					() -> "p2p(1)".equals(a.node.transports().get("webrtc").label()) && b.channelTo(a, circle),
					() -> a.node.transports() + " / " + b.webrtc.state());

			host.stop();
			try {
				assertTrue(ctx.getServiceReferences(Transport.class, FILTER).isEmpty(), "the service leaves");
				await("the channel to close with the bundle", WAIT, () -> !b.channelTo(a, circle),
						() -> b.webrtc.state().toString());
				a.node.detach(transport);
			} finally {
				host.start();
			}
			Transport back = service(ctx, Transport.class, FILTER);
			a.node.attach(back);
			await("a channel once the bundle is back", WAIT,
					() -> "p2p(1)".equals(back.state().label()) && b.channelTo(a, circle),
					() -> back.state() + " / " + b.webrtc.state());
		} finally {
			config.delete();
		}
	}
}
