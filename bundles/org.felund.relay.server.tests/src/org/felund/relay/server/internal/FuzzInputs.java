package org.felund.relay.server.internal;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators for the relay's fuzz properties: what others may send it. Mostly structure-aware (the fields the
 * API reads, with values of every wrong kind), with a share of plain garbage.
 */
public final class FuzzInputs {
	static final String HINT = "e03c84dccc271635";
	static final String NODE = "0123456789abcdef01234567";

	private FuzzInputs() {
	}

	/** Strings that tend to break parsers: empty, long, control characters, lone surrogates, numbers as text. */
	static Arbitrary<String> nastyStrings() {
		return Arbitraries.oneOf(
				Arbitraries.of("", " ", HINT, NODE, "e03c", "0", "-1", "1e9", "0x10", "9223372036854775808",
						"-9223372036854775809", "NaN", "null", "\u0000", "\ud800", "\udc00x", "a\ud83d\ude00b", "%00", "../..",
						"\u202e", "s1:AAAA", "offer", "candidate", "<script>", "\"", "\\", "{}", "[]"),
				Arbitraries.strings().all().ofMaxLength(40),
				Arbitraries.strings().withCharRange('0', 'f').ofMinLength(8).ofMaxLength(130),
				Arbitraries.strings().ascii().ofMinLength(120).ofMaxLength(300));
	}

	/** JSON numbers in every form: integers, huge, negative, fractions, exponents. */
	static Arbitrary<String> numbers() {
		return Arbitraries.oneOf(Arbitraries.longs().map(l -> Long.toString(l)),
				Arbitraries.of("0", "-0", "1.0", "1e400", "-1e-400", "123456789012345678901234567890", "0.5", "60.9",
						"2E3"),
				Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "0"));
	}

	static String quote(String s) {
		StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
			case '"' -> sb.append("\\\"");
			case '\\' -> sb.append("\\\\");
			default -> {
				if (c < 0x20 || Character.isSurrogate(c)) {
					sb.append(String.format("\\u%04x", (int) c));
				} else {
					sb.append(c);
				}
			}
			}
		}
		return sb.append('"').toString();
	}

	/** Any JSON value (text), nested up to {@code depth}. */
	static Arbitrary<String> json(int depth) {
		Arbitrary<String> leaf = Arbitraries.oneOf(nastyStrings().map(FuzzInputs::quote), numbers(),
				Arbitraries.of("true", "false", "null"));
		if (depth <= 0) {
			return leaf;
		}
		Arbitrary<String> array = json(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
		Arbitrary<String> object = Combinators.combine(fieldNames(), json(depth - 1)).as((k, v) -> quote(k) + ":" + v)
				.list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
		return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, leaf), net.jqwik.api.Tuple.of(1, array),
				net.jqwik.api.Tuple.of(1, object));
	}

	/** Field names the API reads, and others. */
	static Arbitrary<String> fieldNames() {
		return Arbitraries.oneOf(
				Arbitraries.of("node_id", "circle_hint", "ttl_s", "endpoints", "capabilities", "signing_key", "messages",
						"msg_id", "created_ts", "text", "enc", "session_id", "from_node_id", "to_node_id", "type",
						"payload", "transport", "host", "port", "family", "nat", "relay", "can_anchor"),
				Arbitraries.strings().all().ofMaxLength(12));
	}

	/** An object with some of the API's fields (valid or not) and maybe others: what the endpoints parse. */
	static Arbitrary<String> apiObject() {
		Arbitrary<String> value = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, validValues()),
				net.jqwik.api.Tuple.of(2, json(2)));
		return Combinators.combine(fieldNames(), value).as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(9)
				.map(l -> "{" + String.join(",", l) + "}");
	}

	/** Values that pass some of the checks, so the fuzzing gets past the first ones. */
	static Arbitrary<String> validValues() {
		Arbitrary<String> envelope = Combinators.combine(Arbitraries.strings().alpha().numeric().ofMinLength(8)
				.ofMaxLength(64), Arbitraries.longs().between(0, 4_000_000_000L), json(1))
				.as((id, ts, extra) -> "{\"msg_id\":" + quote(id) + ",\"created_ts\":" + ts + ",\"x\":" + extra + "}");
		Arbitrary<String> endpoint = Combinators.combine(Arbitraries.of("tcp", "ws", "udp"), nastyStrings(),
				Arbitraries.integers().between(-1, 70000)).as((t, h, p) -> "{\"transport\":" + quote(t) + ",\"host\":"
						+ quote(h) + ",\"port\":" + p + "}");
		return Arbitraries.oneOf(Arbitraries.of(quote(HINT), quote(NODE), quote("a".repeat(64)), "120", "[]", "{}",
				quote("offer"), quote("media-candidate"), quote(NODE + ":" + HINT)),
				envelope.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"),
				endpoint.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"));
	}

	/** A request body: mostly API-shaped objects, sometimes any JSON, sometimes bytes. */
	public static Arbitrary<byte[]> bodies() {
		return Arbitraries.frequencyOf(
				net.jqwik.api.Tuple.of(6, apiObject().map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
				net.jqwik.api.Tuple.of(2, json(3).map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
				net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
				net.jqwik.api.Tuple.of(1, Arbitraries.just(new byte[0])));
	}

	/** Query parameters the routes read (and others), with nasty values. */
	static Arbitrary<java.util.Map<String, List<String>>> queries() {
		Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("circle_hint", "since", "limit", "to_node_id",
				"since_id", "session_id", "node_id"), Arbitraries.strings().ofMaxLength(8));
		Arbitrary<String> value = Arbitraries.oneOf(nastyStrings(), numbers(), Arbitraries.of(HINT, NODE, "100000000000"));
		return Arbitraries.maps(key, value.list().ofMinSize(1).ofMaxSize(2)).ofMaxSize(5);
	}

	/** Query strings as they come over the wire: the routes' parameters, percent-escapes, garbage. */
	public static Arbitrary<String> queryStrings() {
		Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("circle_hint", "since", "limit", "to_node_id",
				"since_id", "session_id", "node_id"), Arbitraries.strings().withCharRange('!', '~').ofMaxLength(6));
		Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(HINT, NODE, "0", "-1", "500", "100000000000",
				"9999999999999999999", "%zz", "%00", "%e2%80%ae", "%ud800", "a+b", "", "e03c84dccc271635%20"),
				Arbitraries.strings().withCharRange('!', '~').ofMaxLength(40));
		Arbitrary<String> pair = net.jqwik.api.Combinators.combine(key, value).as((k, v) -> k + "=" + v);
		return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, pair.list().ofMaxSize(4).map(l -> String.join("&", l))),
				net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMaxLength(80)));
	}

	/** Headers a client may send, with nasty values. */
	static Arbitrary<java.util.Map<String, String>> headers() {
		Arbitrary<String> name = Arbitraries.of("X-Felund-Node", "X-Felund-Ts", "X-Felund-Nonce", "X-Felund-Signature",
				"X-Forwarded-For", "X-Real-IP", "Content-Type");
		Arbitrary<String> value = Arbitraries.oneOf(nastyStrings(), numbers(), Arbitraries.strings().withCharRange('0', 'f')
				.ofLength(64));
		return Arbitraries.maps(name, value).ofMaxSize(5);
	}
}
