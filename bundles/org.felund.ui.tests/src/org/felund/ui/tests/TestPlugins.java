package org.felund.ui.tests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Plugins the UI tests install into the running workbench, built as jars here: only a manifest and resources (a
 * metatype, an e4 model fragment). Their model fragment names classes of this test bundle, which is how any
 * plugin's fragment names its own classes.
 */
final class TestPlugins {
	/** A transport plugin's configuration: the settings and the setup show a page for it. */
	static final String TRANSPORT = "org.felund.ui.tests.transport";
	static final String TRANSPORT_PID = "org.felund.transport.sample";
	/** A calls plugin: a part beside the chat, the F4 handler, its own command on F7, a menu item, a segment. */
	static final String CALLS = "org.felund.ui.tests.calls";
	static final String CALLS_PART = "org.felund.ui.tests.calls.part";

	private TestPlugins() {
	}

	static Bundle installTransport(BundleContext context) throws Exception {
		return install(context, TRANSPORT, Map.of(), Map.of("OSGI-INF/metatype/sample.xml", """
				<?xml version="1.0" encoding="UTF-8"?>
				<metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.4.0">
				  <OCD id="org.felund.transport.sample" name="Sample transport"
				       description="A transport the UI tests install: its page is made from this description alone.">
				    <AD id="port" name="Listen port" type="Integer" min="1" max="65535" default="7000"
				        description="The TCP port other nodes connect to (1 to 65535)."/>
				    <AD id="relayUrl" name="Relay URL" type="String" required="false"
				        description="Leave empty to use no relay."/>
				    <AD id="mode" name="Mode" type="String" default="live">
				      <Option label="Live" value="live"/>
				      <Option label="Poll" value="poll"/>
				    </AD>
				    <AD id="anchor" name="Keep messages for members who are offline" type="Boolean" default="false"/>
				    <AD id="servers" name="Servers" type="String" cardinality="5" required="false"
				        description="One host:port per line, at most five."/>
				  </OCD>
				  <Designate pid="org.felund.transport.sample">
				    <Object ocdref="org.felund.transport.sample"/>
				  </Designate>
				</metatype:MetaData>
				"""));
	}

	static Bundle installCalls(BundleContext context) throws Exception {
		String classes = "bundleclass://org.felund.ui.tests/org.felund.ui.tests.";
		return install(context, CALLS, Map.of("Model-Fragment", "fragment.e4xmi;apply=always"), Map.of("fragment.e4xmi",
				"""
				<?xml version="1.0" encoding="UTF-8"?>
				<fragment:ModelFragments xmi:version="2.0" xmlns:xmi="http://www.omg.org/XMI"
				    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
				    xmlns:basic="http://www.eclipse.org/ui/2010/UIModel/application/ui/basic"
				    xmlns:commands="http://www.eclipse.org/ui/2010/UIModel/application/commands"
				    xmlns:fragment="http://www.eclipse.org/ui/2010/UIModel/fragment"
				    xmlns:menu="http://www.eclipse.org/ui/2010/UIModel/application/ui/menu" xmi:id="_tcRoot">
				  <imports xsi:type="commands:Command" xmi:id="_tcCallsCommand" elementId="org.felund.ui.command.calls"/>
				  <fragments xsi:type="fragment:StringModelFragment" xmi:id="_tcF1" featurename="children"
				      parentElementId="org.felund.ui.stack.side">
				    <elements xsi:type="basic:Part" xmi:id="_tcPart" elementId="org.felund.ui.tests.calls.part"
				        contributionURI="%1$sSampleCallsPart" label="Calls"/>
				  </fragments>
				  <fragments xsi:type="fragment:StringModelFragment" xmi:id="_tcF2" featurename="commands"
				      parentElementId="org.felund.ui.application">
				    <elements xsi:type="commands:Command" xmi:id="_tcRing" elementId="org.felund.ui.tests.calls.command.ring"
				        commandName="Ring"/>
				  </fragments>
				  <fragments xsi:type="fragment:StringModelFragment" xmi:id="_tcF3" featurename="handlers"
				      parentElementId="org.felund.ui.application">
				    <elements xsi:type="commands:Handler" xmi:id="_tcRingHandler"
				        elementId="org.felund.ui.tests.calls.handler.ring" contributionURI="%1$sSampleRingHandler"
				        command="_tcRing"/>
				  </fragments>
				  <fragments xsi:type="fragment:StringModelFragment" xmi:id="_tcF4" featurename="handlers"
				      parentElementId="org.felund.ui.window.main">
				    <elements xsi:type="commands:Handler" xmi:id="_tcCallsHandler"
				        elementId="org.felund.ui.tests.calls.handler.calls" contributionURI="%1$sSampleCallsHandler"
				        command="_tcCallsCommand"/>
				  </fragments>
				  <fragments xsi:type="fragment:StringModelFragment" xmi:id="_tcF5" featurename="bindings"
				      parentElementId="org.felund.ui.bindings.window">
				    <elements xsi:type="commands:KeyBinding" xmi:id="_tcRingKey"
				        elementId="org.felund.ui.tests.calls.binding.ring" keySequence="F7" command="_tcRing"/>
				  </fragments>
				  <fragments xsi:type="fragment:StringModelFragment" xmi:id="_tcF6" featurename="children"
				      parentElementId="org.felund.ui.menu.view">
				    <elements xsi:type="menu:HandledMenuItem" xmi:id="_tcRingItem"
				        elementId="org.felund.ui.tests.calls.menuitem.ring" label="Ring" command="_tcRing"/>
				  </fragments>
				  <fragments xsi:type="fragment:StringModelFragment" xmi:id="_tcF7" featurename="children"
				      parentElementId="org.felund.ui.trim.bottom">
				    <elements xsi:type="menu:ToolControl" xmi:id="_tcStatus" elementId="org.felund.ui.tests.calls.status"
				        contributionURI="%1$sSampleCallsStatus"/>
				  </fragments>
				</fragment:ModelFragments>
				""".formatted(classes)));
	}

	/** Installs (not starts) a resource-only bundle; one left over from an earlier run is replaced. */
	static Bundle install(BundleContext context, String symbolicName, Map<String, String> headers,
			Map<String, String> files) throws Exception {
		String location = "felund-test:" + symbolicName;
		Bundle old = context.getBundle(location);
		if (old != null) {
			old.uninstall();
		}
		Manifest manifest = new Manifest();
		Attributes main = manifest.getMainAttributes();
		main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
		main.putValue("Bundle-ManifestVersion", "2");
		main.putValue("Bundle-SymbolicName", symbolicName);
		main.putValue("Bundle-Version", "1.0.0");
		main.putValue("Bundle-Name", "Felund UI test plugin " + symbolicName);
		headers.forEach(main::putValue);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
			for (Map.Entry<String, String> f : files.entrySet()) {
				jar.putNextEntry(new JarEntry(f.getKey()));
				jar.write(f.getValue().getBytes(StandardCharsets.UTF_8));
				jar.closeEntry();
			}
		}
		return context.installBundle(location, new ByteArrayInputStream(bytes.toByteArray()));
	}
}
