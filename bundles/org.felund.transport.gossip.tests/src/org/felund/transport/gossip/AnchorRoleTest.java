package org.felund.transport.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.felund.anchor.SqliteAnchorStore;
import org.felund.api.model.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node anchoring with the anchor plugin's SQLite store (as the product runs it), for reference-style peers that push
 * to it and pull from it: what it keeps is ciphertext only (no plaintext in any file of its home, WAL included), it
 * survives the anchor's restart, a member who was away catches up from it alone with nothing lost or duplicated, and
 * a push beyond the limits is trimmed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AnchorRoleTest {
	static final String SECRET = GossipNetworkTest.SECRET;
	static final String CIRCLE = GossipNetworkTest.CIRCLE;
	static final GossipOptions REFERENCE = GossipTestNode.fast().withExtensions(false);

	@TempDir
	Path tmp;

	private static final class Anchor implements AutoCloseable {
		final GossipTestNode node;
		final SqliteAnchorStore store;

		Anchor(Path home, String nodeId) {
			node = GossipTestNode.start(home, REFERENCE, nodeId, true);
			store = SqliteAnchorStore.open(home);
			node.node.setAnchorStore(store);
		}

		@Override
		public void close() {
			try {
				node.close();
			} finally {
				store.close();
			}
		}
	}

	@Test
	void aMemberWhoWasAwayCatchesUpFromTheAnchorAloneAcrossItsRestartAndNoPlaintextReachesItsDisk() throws Exception {
		String marker = "plaintext-marker-" + UUID.randomUUID();
		Path anchorHome = tmp.resolve("anchor");
		List<String> written = new ArrayList<>();
		String anchorId;
		try (Anchor anchor = new Anchor(anchorHome, null);
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), REFERENCE)) {
			anchorId = anchor.node.nodeId();
			anchor.node.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			for (int i = 0; i < 30; i++) {
				written.add(b.node.send(CIRCLE, "general", marker + " #" + i).msgId());
			}
			assertNull(b.gossip.syncWith(CIRCLE, anchor.node.addr()).get(20, TimeUnit.SECONDS).error());
			assertEquals(30, anchor.store.size(CIRCLE), "the push reached the anchor's store");
			assertTrue(anchor.store.pull(CIRCLE, 0, 100).stream().allMatch(m -> m.text().isEmpty() && m.enc() != null));
			List<String> holding = filesContaining(anchorHome, marker);
			assertTrue(holding.isEmpty(), "plaintext on the running anchor's disk (database or WAL): " + holding);
			assertTrue(filesIn(anchorHome).stream().anyMatch(f -> f.getFileName().toString().endsWith("-wal")),
					"the WAL files were looked at: " + filesIn(anchorHome));
		}
		// The anchor restarted; b is gone. c was away the whole time and reaches only the anchor.
		try (Anchor anchor = new Anchor(anchorHome, anchorId);
				GossipTestNode c = GossipTestNode.start(tmp.resolve("c"), REFERENCE)) {
			anchor.node.node.joinCircle(SECRET, "");
			c.node.joinCircle(SECRET, "");
			assertEquals(30, anchor.store.size(CIRCLE), "the anchor store survived the restart");
			assertNull(c.gossip.syncWith(CIRCLE, anchor.node.addr()).get(20, TimeUnit.SECONDS).error());
			assertNull(c.gossip.syncWith(CIRCLE, anchor.node.addr()).get(20, TimeUnit.SECONDS).error());
			Set<String> got = new HashSet<>();
			List<String> texts = new ArrayList<>();
			for (ChatMessage m : c.node.history(CIRCLE, "general", null, 1000)) {
				got.add(m.msgId());
				texts.add(m.text());
			}
			assertEquals(Set.copyOf(written), got, "everything b wrote, nothing else");
			assertEquals(30, texts.size(), "no duplicates");
			assertTrue(texts.stream().allMatch(t -> t.startsWith(marker)), "readable by the member");
		}
		List<String> holding = filesContaining(anchorHome, marker);
		assertTrue(holding.isEmpty(), "plaintext on the anchor's disk: " + holding);
		assertTrue(Files.exists(anchorHome.resolve(SqliteAnchorStore.FILE_NAME)), "the anchor store is a file");
		assertFalse(filesIn(anchorHome).isEmpty());
	}

	@Test
	void aPushBeyondTheLimitsIsTrimmed() throws Exception {
		try (Anchor anchor = new Anchor(tmp.resolve("anchor"), null);
				GossipTestNode b = GossipTestNode.start(tmp.resolve("b"), REFERENCE)) {
			anchor.node.node.joinCircle(SECRET, "");
			b.node.joinCircle(SECRET, "");
			long now = System.currentTimeMillis() / 1000;
			b.seed(CIRCLE, SECRET, 20, now - 3 * 86_400); // days old: beyond the 24 h an anchor keeps
			for (int i = 0; i < 10; i++) {
				b.node.send(CIRCLE, "general", "fresh " + i);
			}
			assertNull(b.gossip.syncWith(CIRCLE, anchor.node.addr()).get(20, TimeUnit.SECONDS).error());
			assertEquals(10, anchor.store.size(CIRCLE), "only what is younger than 24 h is kept");
			assertTrue(anchor.store.pull(CIRCLE, 0, 100).stream().allMatch(m -> m.createdTs() > now - 86_400));
		}
	}

	private static List<Path> filesIn(Path dir) throws IOException {
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter(Files::isRegularFile).toList();
		}
	}

	/** Every file under {@code dir} whose bytes contain {@code text} (UTF-8), SQLite WAL and journal files included. */
	private static List<String> filesContaining(Path dir, String text) throws IOException {
		byte[] needle = text.getBytes(StandardCharsets.UTF_8);
		List<String> out = new ArrayList<>();
		for (Path f : filesIn(dir)) {
			byte[] data = Files.readAllBytes(f);
			outer: for (int i = 0; i + needle.length <= data.length; i++) {
				for (int j = 0; j < needle.length; j++) {
					if (data[i + j] != needle[j]) {
						continue outer;
					}
				}
				out.add(f.toString());
				break;
			}
		}
		return out;
	}
}
