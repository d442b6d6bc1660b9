package org.felund.relay.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The page rules both stores share: payload bytes as PostgreSQL counts them, and where a page is cut. */
class RelayRowsTest {
	@Test
	void payloadBytesAreTheUtf8LengthAsPostgresCountsThem() {
		// The relay refuses unpaired surrogates before storing, so stored text is always valid UTF-16.
		for (String s : List.of("", "plain ascii", "ünïcødé", "日本語", "emoji 😀 and 𝄞 together")) {
			assertEquals(s.getBytes(StandardCharsets.UTF_8).length, RelayRows.payloadBytes(s), s);
		}
	}

	@Test
	void aPageTakesTheFirstRowWhateverItsSizeAndStopsOnceTheBytesAreReached() {
		RelayRows.PageBudget budget = new RelayRows.PageBudget(3, 10);
		assertTrue(budget.admits());
		budget.take("x".repeat(50)); // larger than the page: still taken, a page is never empty
		assertFalse(budget.admits());

		budget = new RelayRows.PageBudget(3, 10);
		budget.take("12345");
		assertTrue(budget.admits(), "5 of 10 bytes before the second row");
		budget.take("ééééé"); // 10 bytes in UTF-8: 15 in all
		assertFalse(budget.admits());

		budget = new RelayRows.PageBudget(2, 1000);
		budget.take("a");
		budget.take("b");
		assertFalse(budget.admits(), "the row limit");
	}
}
