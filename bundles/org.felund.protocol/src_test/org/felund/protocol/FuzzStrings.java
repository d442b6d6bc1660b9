package org.felund.protocol;

import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Inputs for the protocol's fuzz properties: valid seeds mutated at random (flips, deletions, insertions of nasty
 * characters, duplications, truncations), and a share of plain garbage.
 */
public final class FuzzStrings {
	private static final String NASTY = "\u0000\u0001\n\r\t \"\\{}[]:,.-+0123456789eE\u007f\u00e9\u202e\ud800\udc00\ufeff\uffff";

	private FuzzStrings() {
	}

	/** Seeds mutated by up to eight edits, mixed with arbitrary strings. */
	public static Arbitrary<String> around(String... seeds) {
		Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(seeds), Arbitraries.integers().between(0, 8),
				Arbitraries.longs()).as((seed, edits, salt) -> mutate(seed, edits, new Random(salt)));
		return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, mutated),
				net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(120)),
				net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars(NASTY).ofMaxLength(60)));
	}

	public static String mutate(String seed, int edits, Random rnd) {
		StringBuilder s = new StringBuilder(seed);
		for (int e = 0; e < edits; e++) {
			int at = s.isEmpty() ? 0 : rnd.nextInt(s.length() + 1);
			switch (rnd.nextInt(6)) {
			case 0 -> {
				if (at < s.length()) {
					s.setCharAt(at, NASTY.charAt(rnd.nextInt(NASTY.length())));
				}
			}
			case 1 -> s.delete(at, Math.min(s.length(), at + 1 + rnd.nextInt(8)));
			case 2 -> s.insert(at, NASTY.charAt(rnd.nextInt(NASTY.length())));
			case 3 -> {
				int end = Math.min(s.length(), at + 1 + rnd.nextInt(16));
				s.insert(at, s.substring(at, end));
			}
			case 4 -> s.setLength(at);
			default -> {
				if (at < s.length()) {
					s.setCharAt(at, (char) (s.charAt(at) ^ (1 << rnd.nextInt(7))));
				}
			}
			}
		}
		return s.toString();
	}
}
