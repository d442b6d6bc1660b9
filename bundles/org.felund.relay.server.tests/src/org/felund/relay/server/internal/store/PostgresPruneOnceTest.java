package org.felund.relay.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.felund.relay.server.PostgresServer;
import org.felund.relay.server.internal.store.RelayStore.NewMessage;
import org.felund.relay.server.internal.store.RelayStore.PruneResult;
import org.junit.jupiter.api.Test;

/** Pruning runs once per cluster and interval, however many instances' timers fire. */
class PostgresPruneOnceTest {

	@Test
	void ofFourInstancesPruningTogetherExactlyOneDeletesAndTheNextRoundPrunesAgain() throws Exception {
		String url = PostgresServer.shared().newSchemaUrl();
		List<PostgresRelayStore> stores = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			for (int i = 0; i < 4; i++) {
				stores.add(PostgresRelayStore.open(url, 2));
			}
			long now = 1_800_000_000L;
			stores.get(0).insertMessages("e03c84dccc271635", null,
					List.of(new NewMessage("0000000000000001", 1, "{\"msg_id\":\"0000000000000001\"}")), now - 100,
					RelayStore.CircleQuota.NONE)
					.get();
			List<Optional<PruneResult>> round = pruneTogether(pool, stores, now);
			assertEquals(1, round.stream().filter(Optional::isPresent).count(), round::toString);
			assertEquals(1, round.stream().flatMap(Optional::stream).mapToInt(PruneResult::messages).sum());
			// Within the interval nobody prunes again; after it, exactly one does.
			assertTrue(pruneTogether(pool, stores, now + 30).stream().allMatch(Optional::isEmpty));
			assertEquals(1, pruneTogether(pool, stores, now + 61).stream().filter(Optional::isPresent).count());
		} finally {
			pool.shutdownNow();
			stores.forEach(PostgresRelayStore::close);
		}
	}

	private static List<Optional<PruneResult>> pruneTogether(ExecutorService pool, List<PostgresRelayStore> stores,
			long now) throws Exception {
		List<Future<Optional<PruneResult>>> futures = new ArrayList<>();
		for (PostgresRelayStore s : stores) {
			Callable<Optional<PruneResult>> prune = () -> s.prune(now, now - 1, now - 300, now * 1000 - 20_000, 60);
			futures.add(pool.submit(prune));
		}
		List<Optional<PruneResult>> results = new ArrayList<>();
		for (Future<Optional<PruneResult>> f : futures) {
			results.add(f.get());
		}
		return results;
	}
}
