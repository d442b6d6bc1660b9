package org.felund.benchmarks.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

import org.felund.api.model.ChatMessage;
import org.felund.api.model.Envelope;
import org.felund.store.sqlite.SqliteNodeStore;

/** Builds a node home holding a given number of messages, shaped like a busy circle. */
final class StoreBenchmarkSamples {
	static final String CIRCLE = "630dcd2966c4336691125448";
	static final String AUTHOR = "bbf62e8177bf53f94c4c67fd";
	/** Channels the stored history is spread over (general gets every other message). */
	static final String[] CHANNELS = { "general", "games", "general", "music", "general", ChatMessage.CONTROL };
	static final long FIRST_TS = 1_767_225_600L;

	private StoreBenchmarkSamples() {
	}

	/** A message as the store keeps it: a header and an envelope the size of a short chat line. */
	static ChatMessage message(SplittableRandom random, String circleId, String channelId, long n, long createdTs) {
		byte[] nonce = new byte[12];
		byte[] ciphertext = new byte[33 + 80 + 16]; // {"display_name":…,"text":…} of an 80-character line + tag
		random.nextBytes(nonce);
		random.nextBytes(ciphertext);
		return new ChatMessage(String.format("%032x", n), circleId, channelId, AUTHOR, createdTs, "", "", "", 2,
				Envelope.of(Base64.getEncoder().encodeToString(nonce), Base64.getEncoder().encodeToString(ciphertext)));
	}

	/** Stores {@code count} messages in {@link #CIRCLE}, one per second, in transactions of 1,000. */
	static void fill(SqliteNodeStore store, int count) {
		SplittableRandom random = new SplittableRandom(42);
		List<ChatMessage> batch = new ArrayList<>(1_000);
		for (int i = 0; i < count; i++) {
			batch.add(message(random, CIRCLE, CHANNELS[i % CHANNELS.length], i, FIRST_TS + i));
			if (batch.size() == 1_000) {
				store.messages().putAll(batch);
				batch.clear();
			}
		}
		store.messages().putAll(batch);
	}

	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		Files.walkFileTree(dir, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.delete(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
				Files.delete(d);
				return FileVisitResult.CONTINUE;
			}
		});
	}
}
