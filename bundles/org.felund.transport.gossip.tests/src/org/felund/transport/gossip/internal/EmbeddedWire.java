package org.felund.transport.gossip.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;

/** A gossip session on an in-memory channel: lines in, lines out, timers under test control. */
final class EmbeddedWire {
	final EmbeddedChannel channel;

	EmbeddedWire(GossipSession session) {
		channel = new EmbeddedChannel(new LineBasedFrameDecoder(FrameLimits.READ_LINE_MAX, true, true), session);
	}

	/** Sends raw text (a line must end with {@code \n}). */
	void send(String text) {
		if (channel.isOpen()) {
			channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
		}
		channel.runPendingTasks();
	}

	void sendLine(String line) {
		send(line + "\n");
	}

	/** Everything written since the last call, one entry per line, without {@code \n}. */
	List<String> lines() {
		channel.runPendingTasks();
		StringBuilder all = new StringBuilder();
		for (Object o; (o = channel.readOutbound()) != null;) {
			ByteBuf b = (ByteBuf) o;
			all.append(b.toString(StandardCharsets.UTF_8));
			b.release();
		}
		List<String> out = new ArrayList<>();
		String text = all.toString();
		int start = 0;
		for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
			out.add(text.substring(start, i));
			start = i + 1;
		}
		if (start != text.length()) {
			throw new AssertionError("Unterminated output line: " + text.substring(start));
		}
		return out;
	}

	String line() {
		List<String> l = lines();
		if (l.size() != 1) {
			throw new AssertionError("Expected one line, got " + l);
		}
		return l.get(0);
	}

	boolean open() {
		channel.runPendingTasks();
		return channel.isOpen();
	}

	void advance(long millis) {
		channel.advanceTimeBy(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
		channel.runScheduledPendingTasks();
		channel.runPendingTasks();
	}
}
