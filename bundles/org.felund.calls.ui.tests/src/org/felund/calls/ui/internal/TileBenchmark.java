package org.felund.calls.ui.internal;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.felund.api.call.AudioStats;
import org.felund.api.call.Call;
import org.felund.api.call.CallListener;
import org.felund.api.call.CallService;
import org.felund.api.call.Health;
import org.felund.api.call.LocalMedia;
import org.felund.api.call.MediaSource;
import org.felund.api.call.PeerMedia;
import org.felund.api.call.Role;
import org.felund.api.call.VideoFrame;
import org.felund.api.call.VideoSink;
import org.felund.api.call.VideoStats;

/**
 * Input-to-paint of the call view with four video tiles (a harness, run by {@code benchmark.sh}, never a unit test).
 * The real {@link CallPart} in a real SWT window (the X server of $DISPLAY, e.g. Xvfb) shows a call with four remote
 * peers; four producer threads hand it decoded I420 frames at the given size and rate, as the WebRTC decoder threads
 * do (each frame a different picture, from a ring of pre-made frames so that making them costs nothing here). Measured:
 * for every frame a tile paints, the time from its hand-off to the tile until that paint has drawn it; frames replaced
 * by a newer one before a paint are counted as superseded; and the UI thread's responsiveness, as the round trip of an
 * {@code asyncExec} posted every 20 ms. The first seconds are warm-up and not counted.
 *
 * <pre>
 * TileBenchmark [seconds=30] [width=640] [height=480] [fps=30] [tiles=4] [warmupSeconds=5] [resultFile]
 * </pre>
 */
public final class TileBenchmark {
	private static final int RING = 16;

	public static void main(String[] args) throws Exception {
		int seconds = arg(args, 0, 30);
		int width = arg(args, 1, 640);
		int height = arg(args, 2, 480);
		int fps = arg(args, 3, 30);
		int tileCount = arg(args, 4, 4);
		int warmup = arg(args, 5, 5);
		Optional<Path> resultFile = args.length > 6 ? Optional.of(Path.of(args[6])) : Optional.empty();

		Display display = new Display();
		Shell shell = new Shell(display);
		shell.setText("Call (benchmark)");
		shell.setLayout(new FillLayout());
		shell.setSize(1000, 760);
		BenchCalls calls = new BenchCalls(tileCount);
		CallPart part = new CallPart();
		part.services(calls, null);
		part.create(shell);
		shell.open();
		while (display.readAndDispatch()) {
			// Let the view lay out its tiles.
		}
		if (part.tiles().size() != tileCount) {
			throw new IllegalStateException("the view shows " + part.tiles().size() + " tiles, not " + tileCount);
		}

		Samples paint = new Samples();
		Samples ping = new Samples();
		AtomicLong superseded = new AtomicLong();
		AtomicLong handed = new AtomicLong();
		AtomicLong producerCpu = new AtomicLong();
		long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
		long stopAt = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
		for (VideoTile tile : part.tiles().values()) {
			tile.probe((handedAt, paintedAt) -> {
				if (handedAt >= measureFrom && handedAt < stopAt) {
					paint.add(paintedAt - handedAt);
				}
			});
		}
		long cpuBefore = processCpuNanos();
		List<Thread> producers = new ArrayList<>();
		int n = 0;
		for (VideoSink sink : calls.sinks()) {
			int index = n++;
			Thread t = Thread.ofPlatform().daemon().name("decoder-" + index).start(() -> produce(sink, index, width,
					height, fps, measureFrom, stopAt, handed, producerCpu));
			producers.add(t);
		}
		Thread pinger = Thread.ofPlatform().daemon().name("ping").start(() -> pingLoop(display, measureFrom, stopAt,
				ping));
		// The UI thread's CPU time and paints from the first event it handles in the measured window to its end (a
		// saturated UI thread runs timers late, so they are taken as the loop comes by).
		long[] paintedAtStart = { -1 };
		long[] uiCpu = { -1, -1 };
		long[] paintedAtEnd = { -1 };
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long endAt = stopAt + 200_000_000L;
		// display.sleep() waits for an event: once the producers stop, this one ends the loop.
		Thread.ofPlatform().daemon().start(() -> {
			LockSupport.parkNanos(endAt - System.nanoTime());
			display.wake();
		});
		while (System.nanoTime() < endAt) {
			long now = System.nanoTime();
			if (paintedAtStart[0] < 0 && now >= measureFrom) {
				paintedAtStart[0] = part.tiles().values().stream().mapToLong(VideoTile::painted).sum();
				uiCpu[0] = threads.getCurrentThreadCpuTime();
			}
			if (uiCpu[1] < 0 && now >= stopAt) {
				paintedAtEnd[0] = part.tiles().values().stream().mapToLong(VideoTile::painted).sum();
				uiCpu[1] = threads.getCurrentThreadCpuTime();
			}
			if (!display.readAndDispatch()) {
				display.sleep();
			}
		}
		if (uiCpu[1] < 0) {
			paintedAtEnd[0] = part.tiles().values().stream().mapToLong(VideoTile::painted).sum();
			uiCpu[1] = threads.getCurrentThreadCpuTime();
		}
		long cpu = processCpuNanos() - cpuBefore;
		for (Thread t : producers) {
			t.join();
		}
		pinger.join();
		long paintedTotal = part.tiles().values().stream().mapToLong(VideoTile::painted).sum() - paintedAtStart[0];
		long paintedInWindow = paintedAtEnd[0] - paintedAtStart[0];
		long handedTotal = handed.get();
		superseded.set(Math.max(0, handedTotal - paintedTotal));

		String load = Files.readString(Path.of("/proc/loadavg")).strip();
		String report = String.format(Locale.ROOT, """
				tiles %d x %dx%d@%d, measured %d s after %d s warm-up, window 1000x760, tile %s
				frames handed %d, painted %d (%.1f fps per tile), superseded before a paint %d
				input-to-paint ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (n=%d)
				UI thread asyncExec round trip ms: p50 %.2f  p99 %.2f  max %.2f  (n=%d)
				CPU per frame: UI thread %.3f ms per painted frame, delivering threads %.3f ms per handed frame
				process CPU %.2f cores (whole run incl. warm-up: %.1f s CPU over %.1f s); load average %s
				""", tileCount, width, height, fps, seconds, warmup, part.tiles().values().iterator().next().control()
				.getSize(), handedTotal, paintedTotal, paintedTotal / (double) tileCount / seconds, superseded.get(),
				paint.percentile(50), paint.percentile(90), paint.percentile(99), paint.max(), paint.size(),
				ping.percentile(50), ping.percentile(99), ping.max(), ping.size(),
				(uiCpu[1] - uiCpu[0]) / 1e6 / Math.max(1, paintedInWindow), producerCpu.get() / 1e6 / Math.max(1, handedTotal),
				cpu / 1e9 / (warmup + seconds), cpu / 1e9, (double) warmup + seconds, load);
		System.out.print(report);
		if (resultFile.isPresent()) {
			Files.writeString(resultFile.get(), report);
		}
		part.dispose();
		shell.dispose();
		display.dispose();
	}

	private static void produce(VideoSink sink, int index, int width, int height, int fps, long measureFrom,
			long stopAt, AtomicLong handed, AtomicLong cpu) {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpuFrom = -1;
		VideoFrame[] ring = new VideoFrame[RING];
		for (int i = 0; i < RING; i++) {
			ring[i] = frame(width, height, index, i);
		}
		long period = TimeUnit.SECONDS.toNanos(1) / fps;
		// Each stream's frames start at its own phase, as independent senders' would.
		long next = System.nanoTime() + period * index / 4;
		int i = 0;
		while (next < stopAt) {
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			long now = System.nanoTime();
			if (cpuFrom < 0 && now >= measureFrom) {
				cpuFrom = threads.getCurrentThreadCpuTime();
			}
			sink.frame(ring[i++ % RING]);
			if (now >= measureFrom && now < stopAt) {
				handed.incrementAndGet();
			}
			next += period;
		}
		cpu.addAndGet(threads.getCurrentThreadCpuTime() - Math.max(0, cpuFrom));
	}

	/** A picture of moving bars, different for each stream and each frame of the ring. */
	private static VideoFrame frame(int width, int height, int stream, int step) {
		int cw = (width + 1) / 2;
		int ch = (height + 1) / 2;
		ByteBuffer y = ByteBuffer.allocateDirect(width * height);
		ByteBuffer u = ByteBuffer.allocateDirect(cw * ch);
		ByteBuffer v = ByteBuffer.allocateDirect(cw * ch);
		int shift = step * width / RING;
		for (int row = 0; row < height; row++) {
			for (int col = 0; col < width; col++) {
				int bar = ((col + shift) % width) * 8 / width;
				y.put(row * width + col, (byte) (40 + bar * 25 + (row * 30 / height)));
			}
		}
		for (int row = 0; row < ch; row++) {
			for (int col = 0; col < cw; col++) {
				u.put(row * cw + col, (byte) (128 + 60 * Math.sin(stream + col / 20.0)));
				v.put(row * cw + col, (byte) (128 + 60 * Math.cos(stream + row / 20.0)));
			}
		}
		return new VideoFrame(width, height, y, width, u, cw, v, cw, 0, 0);
	}

	private static void pingLoop(Display display, long measureFrom, long stopAt, Samples ping) {
		while (System.nanoTime() < stopAt) {
			CountDownLatch ran = new CountDownLatch(1);
			long posted = System.nanoTime();
			long[] at = new long[1];
			if (display.isDisposed()) {
				return;
			}
			display.asyncExec(() -> {
				at[0] = System.nanoTime();
				ran.countDown();
			});
			try {
				if (!ran.await(5, TimeUnit.SECONDS)) {
					at[0] = System.nanoTime();
				}
			} catch (InterruptedException e) {
				return;
			}
			if (posted >= measureFrom) {
				ping.add(at[0] - posted);
			}
			LockSupport.parkNanos(20_000_000L);
		}
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getProcessCpuTime();
	}

	private static int arg(String[] args, int index, int fallback) {
		return args.length > index ? Integer.parseInt(args[index]) : fallback;
	}

	/** Nanosecond samples; percentiles in milliseconds. */
	private static final class Samples {
		private long[] values = new long[4096];
		private int size;

		synchronized void add(long nanos) {
			if (size == values.length) {
				values = Arrays.copyOf(values, size * 2);
			}
			values[size++] = nanos;
		}

		synchronized int size() {
			return size;
		}

		synchronized double percentile(double p) {
			if (size == 0) {
				return Double.NaN;
			}
			long[] sorted = Arrays.copyOf(values, size);
			Arrays.sort(sorted);
			int rank = (int) Math.ceil(p / 100.0 * size) - 1;
			return sorted[Math.max(0, Math.min(size - 1, rank))] / 1e6;
		}

		synchronized double max() {
			return percentile(100);
		}
	}

	/**
	 * A call service for the view alone: one running call of this node with {@code peers} others, every one connected
	 * and sending video, whose frames the harness hands to the tiles the view asks for.
	 */
	private static final class BenchCalls implements CallService {
		private final Call call;
		private final List<PeerMedia> peers = new ArrayList<>();
		private final List<VideoSink> sinks = new ArrayList<>();

		BenchCalls(int count) {
			List<String> everyone = new ArrayList<>();
			everyone.add("self");
			for (int i = 1; i <= count; i++) {
				String id = "peer" + i;
				everyone.add(id);
				peers.add(new PeerMedia(id, Role.PARTICIPANT, Health.CONNECTED, "", AudioStats.NONE,
						new VideoStats(1, 1, 640, 480, 30, 1500, ""), AudioStats.NONE, VideoStats.NONE, 1, 0, "host",
						1));
			}
			call = new Call("bench", "circle", "general", "self", Call.State.ACTIVE, everyone, List.of(), 1, "");
		}

		synchronized List<VideoSink> sinks() {
			return List.copyOf(sinks);
		}

		@Override
		public List<Call> calls(String circleId) {
			return List.of(call);
		}

		@Override
		public Optional<Call> call(String sessionId) {
			return Optional.of(call);
		}

		@Override
		public Optional<Call> current() {
			return Optional.of(call);
		}

		@Override
		public Call start(String circleId, String channelId) {
			throw new IllegalStateException("benchmark");
		}

		@Override
		public Call join(String sessionId) {
			throw new IllegalStateException("benchmark");
		}

		@Override
		public Call view(String sessionId) {
			throw new IllegalStateException("benchmark");
		}

		@Override
		public void leave(String sessionId) {
			throw new IllegalStateException("benchmark");
		}

		@Override
		public void end(String sessionId) {
			throw new IllegalStateException("benchmark");
		}

		@Override
		public void revoke(String sessionId, String nodeId) {
			throw new IllegalStateException("benchmark");
		}

		@Override
		public int viewerCap() {
			return DEFAULT_VIEWER_CAP;
		}

		@Override
		public LocalMedia localMedia() {
			return new LocalMedia("bench", Role.HOST, false, false, false, "", "", "");
		}

		@Override
		public void setMuted(boolean muted) {
			throw new IllegalStateException("benchmark");
		}

		@Override
		public void setCamera(boolean on) {
			throw new IllegalStateException("benchmark");
		}

		@Override
		public List<MediaSource> sources() {
			return List.of();
		}

		@Override
		public void selectSource(MediaSource.Kind kind, String id) {
			throw new IllegalStateException("benchmark");
		}

		@Override
		public List<PeerMedia> peers() {
			return peers;
		}

		@Override
		public synchronized AutoCloseable watch(String nodeId, VideoSink sink) {
			sinks.add(sink);
			return () -> {
				synchronized (this) {
					sinks.remove(sink);
				}
			};
		}

		@Override
		public void addListener(CallListener listener) {
			// Nothing changes during the run.
		}

		@Override
		public void removeListener(CallListener listener) {
			// Nothing changes during the run.
		}
	}
}
