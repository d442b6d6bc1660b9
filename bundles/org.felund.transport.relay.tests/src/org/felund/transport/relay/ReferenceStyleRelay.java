package org.felund.transport.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.felund.protocol.wire.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A loopback stand-in for the reference relay {@code relay_ws.py} as protocol §7 describes it, where a client can
 * tell the difference: {@code since} compares the second a row was stored, {@code server_time} is the relay's clock
 * (no loss-free cursor), signatures are ignored, and there is no WebSocket (the upgrade gets 404, as from the PHP
 * relay). The clock is the test's to move, so same-second inserts can be produced at will. One request per
 * connection.
 */
final class ReferenceStyleRelay implements AutoCloseable {
	/** The relay's clock in Unix seconds. */
	final AtomicLong clock = new AtomicLong(1_767_225_600L);
	/** {@code X-Felund-Node} and {@code since} of every {@code GET /v1/messages}. */
	final List<String[]> pulls = new CopyOnWriteArrayList<>();
	/** {@code node_id} of every {@code POST /v1/register}. */
	final List<String> registrations = new CopyOnWriteArrayList<>();
	/** Presence lifetime granted, in seconds; negative: the {@code ttl_s} asked for. */
	final AtomicLong grantSeconds = new AtomicLong(-1);

	private final ServerSocket server;
	private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "reference-style-relay");
		t.setDaemon(true);
		return t;
	});
	private final Map<String, Row> rows = new LinkedHashMap<>();
	private final Map<String, ObjectNode> presence = new LinkedHashMap<>();

	private record Row(String circleHint, String msgId, long storedAt, JsonNode payload) {
	}

	ReferenceStyleRelay() throws IOException {
		server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		pool.execute(this::acceptLoop);
	}

	String url() {
		return "http://127.0.0.1:" + server.getLocalPort();
	}

	private void acceptLoop() {
		while (!server.isClosed()) {
			try {
				Socket s = server.accept();
				pool.execute(() -> serve(s));
			} catch (IOException e) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
			String requestLine = line(in);
			Map<String, String> headers = new HashMap<>();
			for (String h = line(in); !h.isEmpty(); h = line(in)) {
				int colon = h.indexOf(':');
				headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
			}
			int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
			byte[] body = in.readNBytes(length);
			String[] parts = requestLine.split(" ");
			String target = parts[1];
			int q = target.indexOf('?');
			String path = q < 0 ? target : target.substring(0, q);
			Map<String, String> query = new HashMap<>();
			if (q >= 0) {
				for (String kv : target.substring(q + 1).split("&")) {
					int eq = kv.indexOf('=');
					query.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
				}
			}
			ObjectNode reply;
			int status = 200;
			synchronized (this) {
				reply = handle(parts[0], path, query, headers, body);
			}
			if (reply == null) {
				status = 404;
				reply = Json.object().put("ok", false).put("detail", "Not Found");
			}
			byte[] bytes = Json.compactBytes(reply);
			out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found")
					+ "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + bytes.length
					+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(bytes);
			out.flush();
		} catch (IOException | RuntimeException e) {
			// The client went away; nothing to clean up for a one-request connection.
		}
	}

	private ObjectNode handle(String method, String path, Map<String, String> query, Map<String, String> headers,
			byte[] body) {
		long now = clock.get();
		ObjectNode o = Json.object().put("ok", true);
		switch (method + " " + path) {
		case "GET /v1/health" -> o.put("version", "0.4.0").put("time", now);
		case "POST /v1/register" -> {
			ObjectNode b = (ObjectNode) Json.parse(body);
			long ttl = grantSeconds.get() < 0 ? b.path("ttl_s").asLong(120) : grantSeconds.get();
			registrations.add(b.get("node_id").asText());
			b.put("observed_at", now);
			b.put("expires_at", now + ttl);
			presence.put(b.get("circle_hint").asText() + "|" + b.get("node_id").asText(), b);
			o.put("server_time", now).put("expires_at", now + ttl);
			o.putObject("observed_host").put("host", "127.0.0.1").put("family", "ipv4");
		}
		case "DELETE /v1/register" -> {
			JsonNode b = Json.parse(body);
			presence.remove(b.get("circle_hint").asText() + "|" + b.get("node_id").asText());
			o.put("removed", true);
		}
		case "GET /v1/peers" -> {
			ArrayNode peers = o.putArray("peers");
			String self = headers.get("x-felund-node");
			presence.values().stream()
					.filter(p -> p.get("circle_hint").asText().equals(query.get("circle_hint"))
							&& !p.get("node_id").asText().equals(self))
					.forEach(p -> peers.addObject().put("node_id", p.get("node_id").asText())
							.put("circle_hint", p.get("circle_hint").asText()).setAll(Map.of("endpoints",
									p.get("endpoints"), "capabilities", p.get("capabilities"))));
		}
		case "POST /v1/messages" -> {
			JsonNode b = Json.parse(body);
			int stored = 0;
			for (JsonNode m : b.get("messages")) {
				String id = m.get("msg_id").asText();
				if (!rows.containsKey(id)) {
					rows.put(id, new Row(b.get("circle_hint").asText(), id, now, m));
					stored++;
				}
			}
			o.put("stored", stored).put("server_time", now);
		}
		case "GET /v1/messages" -> {
			long since = Long.parseLong(query.getOrDefault("since", "0"));
			int limit = Integer.parseInt(query.getOrDefault("limit", "200"));
			pulls.add(new String[] { headers.get("x-felund-node"), Long.toString(since) });
			List<Row> page = new ArrayList<>();
			for (Row r : rows.values()) {
				if (r.circleHint().equals(query.get("circle_hint")) && r.storedAt() > since) {
					page.add(r);
				}
			}
			page.sort(Comparator.comparingLong(Row::storedAt).thenComparing(Row::msgId));
			ArrayNode list = o.putArray("messages");
			page.stream().limit(limit).forEach(r -> list.add(r.payload()));
			o.put("server_time", now);
		}
		default -> {
			return null;
		}
		}
		return o;
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		int c;
		while ((c = in.read()) >= 0 && c != '\n') {
			if (c != '\r') {
				b.write(c);
			}
		}
		return b.toString(StandardCharsets.ISO_8859_1);
	}

	@Override
	public void close() throws IOException {
		server.close();
		pool.shutdownNow();
	}
}
