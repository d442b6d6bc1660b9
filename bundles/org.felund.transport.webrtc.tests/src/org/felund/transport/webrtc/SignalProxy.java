package org.felund.transport.webrtc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An HTTP/1.1 forwarder on 127.0.0.1 in front of the real relay, for the WebRTC transport's signaling URL: it passes
 * every request on unchanged, except that it can strip every ICE candidate from the signals that nodes read (candidate
 * signals are left out, {@code a=candidate} lines cut out of descriptions: ICE then never finds a path), or refuse
 * signal posts (the way a relay that does not want our signals answers). Posts themselves are never altered: they are
 * signed, and the relay would refuse them.
 * <p>
 * While posts are refused, reads stay stripped: an answer posted while candidates were stripped, but read only after
 * the switch, would otherwise hand its session the candidates it lacked, and that session would connect without a
 * single signal being refused.
 */
final class SignalProxy implements AutoCloseable {
	enum Mode {
		PASS, STRIP_CANDIDATES, REFUSE_SIGNALS
	}

	private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
			"upgrade", "http2-settings", "keep-alive", "transfer-encoding");
	private static final ObjectMapper JSON = new ObjectMapper();
	/** A candidate line inside an SDP text inside a JSON string (its CRLF escaped once or more). */
	private static final Pattern SDP_CANDIDATE = Pattern.compile("a=candidate:[^\\\\\"]*(\\\\+r\\\\+n)?");

	private final String target;
	private final ServerSocket server;
	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5)).build();
	private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "signal-proxy");
		t.setDaemon(true);
		return t;
	});
	private volatile Mode mode = Mode.PASS;
	private final AtomicLong droppedCandidates = new AtomicLong();
	private final AtomicLong refusedSignals = new AtomicLong();

	SignalProxy(String targetBase) throws IOException {
		this.target = targetBase;
		this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
		threads.execute(this::acceptLoop);
	}

	String url() {
		return "http://127.0.0.1:" + server.getLocalPort();
	}

	void mode(Mode newMode) {
		mode = newMode;
	}

	long droppedCandidates() {
		return droppedCandidates.get();
	}

	long refusedSignals() {
		return refusedSignals.get();
	}

	private void acceptLoop() {
		while (!server.isClosed()) {
			try {
				Socket s = server.accept();
				threads.execute(() -> serve(s));
			} catch (IOException e) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
			String requestLine = line(in);
			if (requestLine == null || requestLine.isEmpty()) {
				return;
			}
			String[] parts = requestLine.split(" ");
			String method = parts[0];
			String path = parts[1];
			Map<String, String> headers = new LinkedHashMap<>();
			for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
				int colon = h.indexOf(':');
				headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
			}
			int length = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-length"))
					.map(e -> Integer.parseInt(e.getValue())).findFirst().orElse(0);
			byte[] body = in.readNBytes(length);
			boolean signalPost = method.equals("POST") && path.startsWith("/v1/signal");
			Mode now = mode;
			if (signalPost && now == Mode.REFUSE_SIGNALS) {
				refusedSignals.incrementAndGet();
				reply(out, 403, "{\"error\":\"signals are not accepted here\",\"code\":\"FORBIDDEN\"}".getBytes(
						StandardCharsets.UTF_8));
				return;
			}
			boolean signalRead = method.equals("GET") && path.startsWith("/v1/signal");
			HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + path))
					.timeout(Duration.ofSeconds(30))
					.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
							: HttpRequest.BodyPublishers.ofByteArray(body));
			headers.forEach((k, v) -> {
				if (!NOT_FORWARDED.contains(k.toLowerCase(Locale.ROOT))) {
					forward.header(k, v);
				}
			});
			HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
			byte[] answer = response.body();
			if (signalRead && response.statusCode() == 200 && mode != Mode.PASS) {
				answer = withoutCandidates(answer);
			}
			reply(out, response.statusCode(), answer);
		} catch (IOException | RuntimeException e) {
			// The client went away or sent garbage: nothing to forward.
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** A signal page without candidate signals, and without candidate lines in the descriptions. */
	private byte[] withoutCandidates(byte[] page) throws IOException {
		ObjectNode root = (ObjectNode) JSON.readTree(page);
		ArrayNode kept = JSON.createArrayNode();
		for (JsonNode signal : root.path("signals")) {
			if (signal.path("type").asText("").endsWith("candidate")) {
				droppedCandidates.incrementAndGet();
				continue;
			}
			String payload = signal.path("payload").asText("");
			long cut = SDP_CANDIDATE.matcher(payload).results().count();
			if (cut > 0) {
				droppedCandidates.addAndGet(cut);
				((ObjectNode) signal).put("payload", SDP_CANDIDATE.matcher(payload).replaceAll(""));
			}
			kept.add(signal);
		}
		root.set("signals", kept);
		return JSON.writeValueAsBytes(root);
	}

	private static void reply(OutputStream out, int status, byte[] body) throws IOException {
		String head = "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + body.length
				+ "\r\nConnection: close\r\n\r\n";
		out.write(head.getBytes(StandardCharsets.US_ASCII));
		out.write(body);
		out.flush();
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		for (int c = in.read(); c != -1; c = in.read()) {
			if (c == '\n') {
				return b.toString(StandardCharsets.US_ASCII).stripTrailing();
			}
			b.write(c);
		}
		return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		server.close();
		threads.shutdownNow();
	}
}
