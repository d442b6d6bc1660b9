package org.felund.transport.webrtc.internal;

import static org.felund.transport.webrtc.WebRtcTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.felund.api.transport.Transport;
import org.felund.transport.webrtc.TestRelay;
import org.felund.transport.webrtc.WebRtcOptions;
import org.felund.transport.webrtc.WebRtcTestNode;
import org.felund.webrtc.RtcRuntime;
import org.felund.testsupport.OsgiComponents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

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
		return OsgiComponents.frameworkContext(host, "org.felund.webrtc");
	}

	private static <S> S service(BundleContext ctx, Class<S> type, String filter) throws Exception {
		return OsgiComponents.awaitService(ctx, type, filter, WAIT);
	}

	@Test
	void theMetatypeDescribesExactlyWhatTheComponentReadsWithItsDefaults() throws Exception {
		BundleContext ctx = context();
		OsgiComponents.Metatype metatype = OsgiComponents.metatype(ctx, host, WebRtcSettings.PID, WAIT);
		assertEquals(new TreeSet<>(List.of(WebRtcSettings.ENABLED, WebRtcSettings.RELAY_URL,
				WebRtcSettings.ICE_SERVERS, WebRtcSettings.ICE_USERNAME, WebRtcSettings.ICE_CREDENTIAL,
				WebRtcSettings.PORT_MIN, WebRtcSettings.PORT_MAX, WebRtcSettings.LOOPBACK)), metatype.ids());
		assertEquals(WebRtcOptions.defaults(), WebRtcSettings.options(metatype.defaults()::get, k -> null));
	}

	@Test
	void aConfiguredComponentOpensAChannelIsSwitchedOffAndOnAndLeavesWithItsBundle() throws Exception {
		BundleContext ctx = context();
		Configuration config = service(ctx, ConfigurationAdmin.class, null).getConfiguration(WebRtcSettings.PID, "?");
		try (TestRelay relay = new TestRelay(tmp.resolve("relay.db")).start();
				WebRtcTestNode a = WebRtcTestNode.create(tmp.resolve("a"));
				WebRtcTestNode b = WebRtcTestNode.create(tmp.resolve("b"))) {
			String circle = WebRtcTestNode.shareCircle(a, b, "club");
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
