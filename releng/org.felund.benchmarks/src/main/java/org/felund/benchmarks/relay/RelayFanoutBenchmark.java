package org.felund.benchmarks.relay;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

/**
 * WebSocket fan-out: {@code subscribers} sockets on one circle; one operation posts a message and waits until
 * the <em>last</em> subscriber has received it. The sampled time is therefore the worst delivery of each
 * message (post → every subscriber), and JMH reports its p50 / p99 over all posts. In addition every single
 * delivery (post → one subscriber) is timed, and its p50 / p99 / max are printed after each iteration.
 * The subscribers are lean Netty clients that only look for the message id in the frame bytes, so that the
 * client side (which shares the machine) costs as little as possible.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RelayFanoutBenchmark {
	@Param({ "sqlite", "postgresql" })
	String backend;

	@Param({ "1000" })
	public int subscribers;

	RelayFixture relay;
	EventLoopGroup clientLoops;
	final List<Channel> sockets = new ArrayList<>();
	RawHttpClient poster;
	volatile ByteBuf expected = Unpooled.EMPTY_BUFFER;
	volatile CountDownLatch delivered = new CountDownLatch(0);
	volatile long postedAt;
	long next;
	/** Per-delivery latencies of the current iteration, in microseconds. */
	final long[] deliveries = new long[4_000_000];
	final AtomicInteger deliveryCount = new AtomicInteger();
	final RelayCpu cpu = new RelayCpu();
	int posts;

	final class Subscriber extends SimpleChannelInboundHandler<TextWebSocketFrame> {
		@Override
		protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
			if (ByteBufUtil.indexOf(expected, frame.content()) >= 0) {
				int i = deliveryCount.getAndIncrement();
				if (i < deliveries.length) {
					deliveries[i] = (System.nanoTime() - postedAt) / 1000;
				}
				delivered.countDown();
			}
		}
	}

	@Setup(Level.Trial)
	public void start() throws Exception {
		relay = new RelayFixture(backend, false);
		clientLoops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
		for (int i = 0; i < subscribers; i++) {
			URI uri = URI.create("ws://127.0.0.1:" + relay.port() + "/v1/relay/ws?circle_hint=" + RelayFixture.HINT
					+ "&node_id=subscriber-" + i);
			WebSocketClientProtocolHandler protocol = new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory
					.newHandshaker(uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 65_536));
			Subscriber subscriber = new Subscriber();
			Channel ch = new Bootstrap().group(clientLoops).channel(NioSocketChannel.class)
					.handler(new ChannelInitializer<SocketChannel>() {
						@Override
						protected void initChannel(SocketChannel c) {
							c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536), protocol,
									subscriber);
						}
					}).connect("127.0.0.1", relay.port()).sync().channel();
			sockets.add(ch);
		}
		// Wait until the relay has every subscriber in its room.
		for (int i = 0; i < 500 && relay.server.webSocketCount() < subscribers; i++) {
			Thread.sleep(10);
		}
		if (relay.server.webSocketCount() < subscribers) {
			throw new IllegalStateException("only " + relay.server.webSocketCount() + " subscribers connected");
		}
		poster = new RawHttpClient(relay.port());
	}

	@Setup(Level.Iteration)
	public void resetDeliveries() {
		deliveryCount.set(0);
		posts = 0;
		cpu.mark();
	}

	@TearDown(Level.Iteration)
	public void reportDeliveries() {
		int n = Math.min(deliveryCount.get(), deliveries.length);
		if (n == 0) {
			return;
		}
		long[] sorted = Arrays.copyOf(deliveries, n);
		Arrays.sort(sorted);
		System.out.printf("%nper delivery (%d): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; "
				+ "relay CPU per post to %d subscribers: %.2f ms%n", n, sorted[n / 2] / 1000.0,
				sorted[(int) (n * 0.90)] / 1000.0, sorted[(int) (n * 0.99)] / 1000.0, sorted[n - 1] / 1000.0, subscribers,
				cpu.elapsedNanos() / 1e6 / Math.max(1, posts));
	}

	@TearDown(Level.Trial)
	public void stop() throws IOException {
		poster.close();
		for (Channel ch : sockets) {
			ch.close();
		}
		clientLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
		relay.close();
	}

	@Benchmark
	public void postAndAwaitEverySubscriber() throws Exception {
		String id = String.format("fan%029x", next++);
		posts++;
		CountDownLatch latch = new CountDownLatch(subscribers);
		expected = Unpooled.copiedBuffer(id, StandardCharsets.US_ASCII);
		delivered = latch;
		byte[] body = ("{\"circle_hint\":\"" + RelayFixture.HINT + "\",\"messages\":[" + RelayFixture.envelope(id) + "]}")
				.getBytes(StandardCharsets.UTF_8);
		postedAt = System.nanoTime();
		int status = poster.send("POST", "/v1/messages", body, "");
		if (status != 200) {
			throw new IllegalStateException("relay answered " + status + ": " + poster.lastBody());
		}
		if (!latch.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException(latch.getCount() + " of " + subscribers + " subscribers got nothing in 30 s");
		}
	}
}
