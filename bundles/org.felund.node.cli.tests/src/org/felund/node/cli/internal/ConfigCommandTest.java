package org.felund.node.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.felund.protocol.wire.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code felund-node config}: typed, checked by each plugin's description, clear about what is wrong. */
class ConfigCommandTest {
	private static final String GOSSIP = NodeCli.GOSSIP_PID;

	@TempDir
	Path home;
	private final MemoryConfigurations configurations = MemoryConfigurations.withTheUsualPlugins();
	private String out;
	private String err;

	private int run(String... args) {
		ByteArrayOutputStream o = new ByteArrayOutputStream();
		ByteArrayOutputStream e = new ByteArrayOutputStream();
		// config needs no node: only Configuration Admin
		int code = new NodeCli(null, InputStream.nullInputStream(), new PrintStream(o, true, StandardCharsets.UTF_8),
				new PrintStream(e, true, StandardCharsets.UTF_8), home.resolve(CliState.FILE_NAME),
				new CountDownLatch(0), configurations).run(List.of(args));
		out = o.toString(StandardCharsets.UTF_8);
		err = e.toString(StandardCharsets.UTF_8);
		return code;
	}

	private JsonNode json(String... args) {
		assertEquals(NodeCli.OK, run(args), err);
		return Json.parse(out.strip());
	}

	@Test
	void setGetAndUnsetTypedValues() {
		assertEquals(NodeCli.OK, run("config", "set", GOSSIP, "port", "9001"), err);
		assertEquals(GOSSIP + " port = 9001", out.strip());
		assertEquals(9001, configurations.stored.get(GOSSIP).get("port"), "an Integer, as the metatype says");
		assertEquals(NodeCli.OK, run("config", "set", GOSSIP, "enabled", "off"));
		assertEquals(Boolean.FALSE, configurations.stored.get(GOSSIP).get("enabled"));
		assertEquals(NodeCli.OK, run("config", "set", NodeCli.RELAY_PID, "urls", "https://a.example, https://b.example"));
		assertArrayEquals(new String[] { "https://a.example", "https://b.example" },
				(String[]) configurations.stored.get(NodeCli.RELAY_PID).get("urls"));

		assertEquals(NodeCli.OK, run("config", "get", GOSSIP));
		assertEquals(List.of("enabled = false", "bindHost = 0.0.0.0  (default)", "port = 9001",
				"interval = 5  (default)"), out.strip().lines().toList());
		JsonNode all = json("config", "get", GOSSIP, "--json");
		assertEquals(9001, all.get("values").get("port").asInt());
		assertTrue(all.get("values").get("port").isInt());
		assertEquals("[\"bindHost\",\"interval\"]", Json.compact(all.get("defaults")));
		JsonNode one = json("config", "get", NodeCli.RELAY_PID, "urls", "--json");
		assertEquals("[\"https://a.example\",\"https://b.example\"]", Json.compact(one.get("value")));
		assertTrue(!one.get("default").asBoolean());

		assertEquals(NodeCli.OK, run("config", "unset", GOSSIP, "port"));
		assertEquals(GOSSIP + " port = 9999  (default)", out.strip());
		assertEquals(Map.of("enabled", false), configurations.stored.get(GOSSIP));
		assertEquals(NodeCli.OK, run("config", "unset", GOSSIP, "enabled"));
		assertTrue(!configurations.stored.containsKey(GOSSIP), "no values left: the configuration is deleted");
	}

	@Test
	void listShowsInstalledAndConfiguredPlugins() {
		configurations.stored.put("org.example.gone", Map.of("x", 1));
		run("config", "set", GOSSIP, "port", "9001");
		JsonNode list = json("config", "list", "--json");
		assertEquals(4, list.get("configurations").size());
		assertEquals("{\"pid\":\"org.example.gone\",\"name\":\"\",\"installed\":false,\"configured\":true}",
				Json.compact(list.get("configurations").get(0)));
		assertEquals(NodeCli.OK, run("config", "list"));
		assertTrue(out.contains(GOSSIP + "  Gossip (direct connections)\n"), out);
		assertTrue(out.contains("org.felund.anchor  Anchor  (defaults)"), out);
		assertTrue(out.contains("org.example.gone  (no installed plugin)"), out);
		assertEquals(NodeCli.OK, run("config", "get", "org.example.gone"), "what an uninstalled plugin left is shown");
		assertEquals("x = 1  (not described by any installed plugin)", out.strip());
	}

	@Test
	void badPidsKeysAndValuesAreRefusedAndNothingChanges() {
		assertEquals(NodeCli.FAILED, run("config", "set", "org.example.nope", "x", "1"));
		assertTrue(err.startsWith("felund-node: No installed plugin has the configuration 'org.example.nope' (known: "),
				err);
		assertEquals(NodeCli.FAILED, run("config", "get", "org.example.nope"));
		assertEquals(NodeCli.FAILED, run("config", "set", GOSSIP, "colour", "red"));
		assertEquals("felund-node: " + GOSSIP + " has no setting 'colour' (settings: enabled, bindHost, port, interval)",
				err.strip());
		assertEquals(NodeCli.FAILED, run("config", "set", GOSSIP, "port", "ninety"));
		assertEquals("felund-node: " + GOSSIP + " port is a whole number, not 'ninety'", err.strip());
		assertEquals(NodeCli.FAILED, run("config", "set", GOSSIP, "port", "70000"));
		assertEquals("felund-node: " + GOSSIP + " port '70000': Value is greater than maximum 65535", err.strip());
		assertEquals(NodeCli.FAILED, run("config", "set", GOSSIP, "enabled", "maybe"));
		assertEquals(NodeCli.FAILED, run("config", "unset", GOSSIP, "colour"));
		assertTrue(configurations.stored.isEmpty());

		assertEquals(NodeCli.USAGE, run("config"));
		assertEquals(NodeCli.USAGE, run("config", "set", GOSSIP, "port"));
		assertEquals(NodeCli.USAGE, run("config", "remove", GOSSIP, "port"));
		assertEquals(NodeCli.USAGE, run("config", "list", "extra"));
	}
}
