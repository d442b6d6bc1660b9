import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Simulated web clients for the soak (protocol §8.1, written from the spec): each client, every {@code period}
 * seconds, registers its presence (signed), pushes one new encrypted message (unsigned, as the reference web client
 * does) and pulls what is new since its cursor. Loopback relays only; runs for a bounded time and stops by itself.
 *
 * <pre>
 * java WebClients.java RELAY_URL SECRET_HEX CLIENTS SECONDS [PERIOD_S [PUSH_S]]
 * </pre>
 *
 * After {@code PUSH_S} seconds (default: all along) the clients stop pushing and only register and pull, so that the
 * soak can watch memory once the stores stop growing.
 *
 * Prints one summary line: requests, failures, messages pushed and pulled.
 */
public final class WebClients {
	static final SecureRandom RANDOM = new SecureRandom();
	static final AtomicLong requests = new AtomicLong();
	static final AtomicLong failures = new AtomicLong();
	static final AtomicLong pushed = new AtomicLong();
	static final AtomicLong pulled = new AtomicLong();
	static volatile long pushUntil;

	public static void main(String[] args) throws Exception {
		String relay = args[0].replaceAll("/+$", "");
		byte[] secret = HexFormat.of().parseHex(args[1]);
		int clients = Integer.parseInt(args[2]);
		long seconds = Long.parseLong(args[3]);
		long period = args.length > 4 ? Long.parseLong(args[4]) : 5;
		pushUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.length > 5 ? Long.parseLong(args[5]) : seconds);
		if (!URI.create(relay).getHost().matches("127\\.\\d+\\.\\d+\\.\\d+|localhost|\\[::1\\]|::1")) {
			throw new IllegalArgumentException("loopback relays only: " + relay);
		}
		String circleId = hex(sha256(secret)).substring(0, 24);
		String hint = hex(sha256(circleId.getBytes(StandardCharsets.US_ASCII))).substring(0, 16);
		byte[] msgKey = hkdf(secret, "felund-msg-v1");
		byte[] apiKey = hmac(secret, "api-v1".getBytes(StandardCharsets.US_ASCII));
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		ScheduledExecutorService pool = Executors.newScheduledThreadPool(8);
		for (int i = 0; i < clients; i++) {
			Client c = new Client(http, relay, hint, circleId, msgKey, apiKey, randomHex(16));
			pool.scheduleWithFixedDelay(c::cycle, RANDOM.nextInt((int) (period * 1000)), period * 1000,
					TimeUnit.MILLISECONDS);
		}
		Thread.sleep(seconds * 1000);
		pool.shutdownNow();
		pool.awaitTermination(10, TimeUnit.SECONDS);
		System.out.println("web clients=" + clients + " seconds=" + seconds + " requests=" + requests + " failures="
				+ failures + " pushed=" + pushed + " pulled=" + pulled);
	}

	static final class Client {
		final HttpClient http;
		final String relay, hint, circleId, nodeId;
		final byte[] msgKey, apiKey;
		long cursor;
		int sent;

		Client(HttpClient http, String relay, String hint, String circleId, byte[] msgKey, byte[] apiKey, String nodeId) {
			this.http = http;
			this.relay = relay;
			this.hint = hint;
			this.circleId = circleId;
			this.msgKey = msgKey;
			this.apiKey = apiKey;
			this.nodeId = nodeId;
		}

		void cycle() {
			try {
				register();
				if (System.nanoTime() - pushUntil < 0) {
					push();
				}
				pull();
			} catch (Exception e) {
				failures.incrementAndGet();
			}
		}

		void register() throws Exception {
			String body = "{\"node_id\":\"" + nodeId + "\",\"circle_hint\":\"" + hint + "\",\"endpoints\":[{\"transport\":"
					+ "\"ws\",\"host\":\"127.0.0.1\",\"port\":443,\"family\":\"ipv4\",\"nat\":\"unknown\"}],"
					+ "\"capabilities\":{\"relay\":false,\"transport\":[\"ws\"],\"can_anchor\":false},\"ttl_s\":120,"
					+ "\"signing_key\":\"" + hex(apiKey) + "\"}";
			send(signed("POST", "/register", body));
		}

		void push() throws Exception {
			long ts = System.currentTimeMillis() / 1000;
			String msgId = hex(sha256((nodeId + "|" + ts + "|" + randomHex(8)).getBytes(StandardCharsets.UTF_8))).substring(0, 32);
			String aad = msgId + "|" + circleId + "|general|" + nodeId + "|" + ts;
			String plain = "{\"display_name\":\"web-" + nodeId.substring(0, 6) + "\",\"text\":\"soak " + (++sent) + "\"}";
			byte[] nonce = new byte[12];
			RANDOM.nextBytes(nonce);
			Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
			c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(msgKey, "AES"), new GCMParameterSpec(128, nonce));
			c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
			byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
			String envelope = "{\"msg_id\":\"" + msgId + "\",\"circle_id\":\"" + circleId + "\",\"channel_id\":\"general\","
					+ "\"author_node_id\":\"" + nodeId + "\",\"created_ts\":" + ts + ",\"enc\":{\"alg\":\"AES-256-GCM\","
					+ "\"key_id\":\"epoch-0\",\"nonce\":\"" + Base64.getEncoder().encodeToString(nonce) + "\",\"ciphertext\":\""
					+ Base64.getEncoder().encodeToString(ct) + "\"}}";
			String body = "{\"circle_hint\":\"" + hint + "\",\"messages\":[" + envelope + "]}";
			send(HttpRequest.newBuilder(URI.create(relay + "/v1/messages")).header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body)));
			pushed.incrementAndGet();
		}

		static final Pattern SERVER_TIME = Pattern.compile("\"server_time\"\\s*:\\s*(\\d+)");
		static final Pattern MSG = Pattern.compile("\"msg_id\"");

		void pull() throws Exception {
			String body = send(HttpRequest.newBuilder(URI.create(relay + "/v1/messages?circle_hint=" + hint + "&since="
					+ cursor + "&limit=200")).GET());
			Matcher m = MSG.matcher(body);
			while (m.find()) {
				pulled.incrementAndGet();
			}
			Matcher t = SERVER_TIME.matcher(body);
			if (t.find()) {
				cursor = Math.max(cursor, Long.parseLong(t.group(1)) - 1);
			}
		}

		HttpRequest.Builder signed(String method, String path, String body) throws Exception {
			String ts = Long.toString(System.currentTimeMillis() / 1000);
			String nonce = randomHex(16);
			String canonical = method + path + hex(sha256(body.getBytes(StandardCharsets.UTF_8))) + ts + nonce;
			String sig = hex(hmac(apiKey, canonical.getBytes(StandardCharsets.UTF_8)));
			return HttpRequest.newBuilder(URI.create(relay + "/v1" + path)).header("Content-Type", "application/json")
					.header("X-Felund-Node", nodeId).header("X-Felund-Ts", ts).header("X-Felund-Nonce", nonce)
					.header("X-Felund-Signature", sig).method(method, HttpRequest.BodyPublishers.ofString(body));
		}

		String send(HttpRequest.Builder request) throws Exception {
			requests.incrementAndGet();
			HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (r.statusCode() != 200) {
				failures.incrementAndGet();
			}
			return r.body();
		}
	}

	static byte[] hkdf(byte[] ikm, String info) throws Exception {
		byte[] prk = hmac(new byte[32], ikm);
		byte[] in = (info + "\u0001").getBytes(StandardCharsets.US_ASCII);
		return hmac(prk, in);
	}

	static byte[] hmac(byte[] key, byte[] data) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key, "HmacSHA256"));
		return mac.doFinal(data);
	}

	static byte[] sha256(byte[] data) throws Exception {
		return MessageDigest.getInstance("SHA-256").digest(data);
	}

	static String hex(byte[] b) {
		return HexFormat.of().formatHex(b);
	}

	static String randomHex(int bytes) {
		byte[] b = new byte[bytes];
		RANDOM.nextBytes(b);
		return hex(b);
	}
}
