package org.felund.webrtc;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A node's WebRTC signaling mailbox at one relay (protocol §7.6): posts signals in order and polls the signals
 * addressed to the node with the {@code since_id} cursor.
 * <p>
 * <b>Posting.</b> One request at a time, in the order given, so an offer always precedes its candidates. A {@code 429}
 * starts a back-off of 500 ms that doubles up to 5 s (as the web client does); unlike the web client, signals waiting
 * in the back-off are kept and sent afterwards, not dropped, unless their TTL passed meanwhile. Network failures and
 * {@code 5xx} are retried the same way a few times; a {@code 4xx} is final ({@link PostStatus#REFUSED}), and a
 * {@code 404} means the relay has no mailbox at all (the PHP relay).
 * <p>
 * <b>Polling.</b> Every 2 s while idle, every 250 ms while a subscriber negotiates a session
 * ({@link Subscriber#wantsFastPolling()}), and once more 150 ms after {@link #pollSoon()}. A full page (200 signals)
 * is followed by the next one at once. The cursor starts at 0, so unexpired signals are replayed after a start; each
 * signal carries its age so that subscribers can ignore stale ones.
 * <p>
 * <b>Signatures.</b> A user that knows a circle's API key registers its signer ({@link #authorize}). Signals posted
 * under that circle's hint are then signed as protocol §3.8 signs relay requests (path {@code /signal}), and the
 * mailbox is read once per such circle with a signed {@code GET …&circle_hint=}, which returns only signals that
 * the relay accepted under that circle. That is what a relay run with {@code --signatures strict} requires, and it
 * keeps outsiders' signals away from us on any relay that binds signals to circles. Signals to circles without a
 * signer go unsigned, as the web client posts them. When no signer is registered, or a circle's signed read is
 * refused (its key is not bound at the relay yet), the mailbox is also read unsigned with only {@code to_node_id},
 * as the web client reads it. Reference relays ignore both the headers and {@code circle_hint}; they answer every
 * read with all of the node's signals, so signals are delivered once by id.
 * <p>
 * All work runs on the mailbox's own thread; subscribers are called there and must hand work to their own threads.
 */
public final class SignalMailbox implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(SignalMailbox.class.getName());
	static final ObjectMapper JSON = new ObjectMapper();
	/** The relay returns at most this many signals per poll. */
	static final int PAGE = 200;
	static final Duration POLL_SOON = Duration.ofMillis(150);
	/** Largest poll reply read: a full page of 64 KB payloads. */
	static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;
	/** Signal ids remembered to deliver each once: several full pages. */
	static final int DELIVERED_MEMORY = 4096;
	private static final byte[] NO_BODY = new byte[0];

	/**
	 * @param idlePoll pause between polls while nothing is being negotiated (web client: 2 s)
	 * @param fastPoll pause between polls while a subscriber negotiates
	 * @param requestTimeout connect and response timeout of one request
	 * @param minBackoff first pause after a {@code 429} or a failed post (web client: 500 ms)
	 * @param maxBackoff longest such pause (web client: 5 s)
	 * @param maxPollBackoff longest pause between polls while the relay cannot be reached
	 * @param maxQueued signals waiting to be posted; beyond it the oldest candidate is dropped
	 * @param maxAttempts attempts per signal before it fails
	 */
	public record Options(Duration idlePoll, Duration fastPoll, Duration requestTimeout, Duration minBackoff,
			Duration maxBackoff, Duration maxPollBackoff, int maxQueued, int maxAttempts) {
		public Options {
			for (Duration d : List.of(idlePoll, fastPoll, requestTimeout, minBackoff, maxBackoff, maxPollBackoff)) {
				if (d == null || d.isNegative() || d.isZero()) {
					throw new IllegalArgumentException("Mailbox intervals must be positive");
				}
			}
			if (maxQueued < 1 || maxAttempts < 1) {
				throw new IllegalArgumentException("Mailbox queue and attempts must be at least 1");
			}
		}

		public static Options defaults() {
			return new Options(Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(10),
					Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(30), 256, 5);
		}

		public Options withPolls(Duration idle, Duration fast) {
			return new Options(idle, fast, requestTimeout, minBackoff, maxBackoff, maxPollBackoff, maxQueued,
					maxAttempts);
		}

		public Options withBackoff(Duration min, Duration max, Duration maxPoll) {
			return new Options(idlePoll, fastPoll, requestTimeout, min, max, maxPoll, maxQueued, maxAttempts);
		}

		public Options withRequestTimeout(Duration timeout) {
			return new Options(idlePoll, fastPoll, timeout, minBackoff, maxBackoff, maxPollBackoff, maxQueued,
					maxAttempts);
		}
	}

	/** Whether the relay's mailbox works, as last seen. */
	public enum Availability {
		UNKNOWN, AVAILABLE, UNREACHABLE, UNSUPPORTED
	}

	public enum PostStatus {
		/** Stored by the relay. */
		POSTED,
		/** The relay refused it for good (4xx other than 429, or no mailbox at all). */
		REFUSED,
		/** Not stored after every attempt (network failures, 5xx, rate limit). */
		FAILED,
		/** Its TTL passed before it could be posted. */
		EXPIRED,
		/** The mailbox was closed first. */
		CLOSED
	}

	public record PostOutcome(PostStatus status, String detail) {
		public boolean posted() {
			return status == PostStatus.POSTED;
		}
	}

	/**
	 * Signs a relay request with one circle's API key (protocol §3.8), e.g. {@code CircleCrypto::signApiRequest}.
	 * Called on the mailbox thread.
	 */
	@FunctionalInterface
	public interface RequestSigner {
		/** @return {@code hex(HMAC-SHA256(K_api, METHOD + path + hex(SHA-256(body)) + ts + nonce))} */
		String sign(String method, String path, byte[] body, long ts, String nonce);
	}

	/** Receives the signals of the types it handles. Called on the mailbox thread. */
	public interface Subscriber {
		boolean handles(String type);

		/**
		 * After every successful poll: the new signals of the handled types in id order (possibly none) and the
		 * relay's clock, so a subscriber knows what it has seen and what is older than its own start.
		 */
		void received(List<Signal> signals, long serverTime);

		default void availabilityChanged(Availability availability, String detail) {
		}

		/** Read on the mailbox thread: keep it cheap and thread-safe. */
		default boolean wantsFastPolling() {
			return false;
		}
	}

	/** Counters since the mailbox started. */
	public record Stats(long posted, long rateLimited, long refused, long failed, long polls, long pollFailures,
			long received) {
	}

	/** A shared mailbox handed out by {@link RtcRuntime#mailbox}; closing the lease releases it. */
	public static final class Lease implements AutoCloseable {
		private final SignalMailbox mailbox;
		private final Runnable release;
		private boolean closed;

		Lease(SignalMailbox mailbox, Runnable release) {
			this.mailbox = mailbox;
			this.release = release;
		}

		public SignalMailbox mailbox() {
			return mailbox;
		}

		@Override
		public synchronized void close() {
			if (!closed) {
				closed = true;
				release.run();
			}
		}
	}

	private final URI signalUrl;
	private final String nodeId;
	private final Options options;
	private final HttpClient http;
	private final ScheduledExecutorService executor;
	private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
	private final AtomicLong posted = new AtomicLong();
	private final AtomicLong rateLimited = new AtomicLong();
	private final AtomicLong refused = new AtomicLong();
	private final AtomicLong failed = new AtomicLong();
	private final AtomicLong polls = new AtomicLong();
	private final AtomicLong pollFailures = new AtomicLong();
	private final AtomicLong received = new AtomicLong();
	/** Signers by circle hint; several users (the DataChannel transport, calls) may register one circle. */
	private final Map<String, List<RequestSigner>> signers = new ConcurrentHashMap<>();
	private final SecureRandom random = new SecureRandom();
	/** The relay's clock minus ours, adopted when it refuses a signed request's timestamp. */
	private volatile long clockOffsetSeconds;
	private volatile boolean closed;
	private volatile Availability availability = Availability.UNKNOWN;
	private volatile String availabilityDetail = "";

	// ---- confined to the mailbox thread
	private final Deque<Pending> queue = new ArrayDeque<>();
	private Pending inFlight;
	private long postBackoffNanos;
	private long postBlockedUntil;
	private ScheduledFuture<?> pumpLater;
	/** Cursor of the unsigned read. */
	private long cursor;
	/** Cursors of the signed reads, by circle hint. */
	private final Map<String, Long> circleCursors = new HashMap<>();
	/** Ids delivered lately: reads of several circles may return the same signal. Signals live 120 s at most. */
	private final Set<Long> delivered = Collections.newSetFromMap(new LinkedHashMap<>() {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
			return size() > DELIVERED_MEMORY;
		}
	});
	private boolean pollRunning;
	private boolean pollAgain;
	private ScheduledFuture<?> nextPoll;
	private long nextPollDue;
	private long pollBackoffNanos;

	private static final class Pending {
		final OutgoingSignal signal;
		final CompletableFuture<PostOutcome> result = new CompletableFuture<>();
		final long expiresAt;
		int attempts;
		boolean signed;
		boolean clockAdopted;

		Pending(OutgoingSignal signal) {
			this.signal = signal;
			this.expiresAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(10, signal.ttlSeconds()));
		}
	}

	/**
	 * A mailbox with its own thread and HTTP client. Prefer {@link RtcRuntime#mailbox}, which shares one per relay and
	 * node.
	 *
	 * @param signalUrl the relay's {@code …/v1/signal} URL (see {@link #signalUrl(String)})
	 */
	public SignalMailbox(URI signalUrl, String nodeId, Options options) {
		this.signalUrl = Objects.requireNonNull(signalUrl, "signalUrl");
		this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
		this.options = Objects.requireNonNull(options, "options");
		this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "felund-signal " + (nodeId.length() > 8 ? nodeId.substring(0, 8) : nodeId));
			t.setDaemon(true);
			return t;
		});
		this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(options.requestTimeout()).executor(executor).build();
	}

	/**
	 * The mailbox URL for a relay base URL, built as the relay client builds its URLs: {@code <base>/signal} when the
	 * base ends with {@code /v1}, else {@code <base>/v1/signal} (trailing {@code /} ignored).
	 *
	 * @throws IllegalArgumentException when the base is not an absolute http(s) URL with a host
	 */
	public static URI signalUrl(String relayBase) {
		String b = relayBase == null ? "" : relayBase.trim();
		while (b.endsWith("/")) {
			b = b.substring(0, b.length() - 1);
		}
		URI uri;
		try {
			uri = URI.create(b.endsWith("/v1") ? b + "/signal" : b + "/v1/signal");
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("The relay URL '" + relayBase + "' is not a valid URL", e);
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
			throw new IllegalArgumentException("The relay URL '" + relayBase + "' must be http(s)://host[:port][/path]");
		}
		return uri;
	}

	public URI signalUrl() {
		return signalUrl;
	}

	public String nodeId() {
		return nodeId;
	}

	public Availability availability() {
		return availability;
	}

	public String availabilityDetail() {
		return availabilityDetail;
	}

	public Stats stats() {
		return new Stats(posted.get(), rateLimited.get(), refused.get(), failed.get(), polls.get(), pollFailures.get(),
				received.get());
	}

	/**
	 * Signs this node's signals under a circle's hint and reads that circle's signals with signed requests, until the
	 * returned handle is closed.
	 *
	 * @param circleHint the circle's hint, as the signals name it
	 * @param signer signs with that circle's API key (protocol §3.8)
	 */
	public AutoCloseable authorize(String circleHint, RequestSigner signer) {
		Objects.requireNonNull(circleHint, "circleHint");
		Objects.requireNonNull(signer, "signer");
		if (circleHint.length() < 8) {
			throw new IllegalArgumentException("A circle hint has at least 8 characters");
		}
		signers.compute(circleHint, (hint, list) -> {
			List<RequestSigner> l = list == null ? new CopyOnWriteArrayList<>() : list;
			l.add(signer);
			return l;
		});
		run(() -> schedulePoll(0));
		return () -> signers.computeIfPresent(circleHint, (hint, list) -> {
			list.remove(signer);
			return list.isEmpty() ? null : list;
		});
	}

	/** The circles whose signals are signed and read signed. */
	public Set<String> signedCircles() {
		return Set.copyOf(signers.keySet());
	}

	private RequestSigner signer(String circleHint) {
		List<RequestSigner> l = signers.get(circleHint);
		if (l == null) {
			return null;
		}
		Iterator<RequestSigner> it = l.iterator();
		return it.hasNext() ? it.next() : null;
	}

	/** Starts polling for this subscriber (the first one starts the poll loop). */
	public AutoCloseable subscribe(Subscriber subscriber) {
		subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
		run(() -> schedulePoll(0));
		return () -> subscribers.remove(subscriber);
	}

	/** Queues a signal; the future completes on the mailbox thread when it is posted or given up. */
	public CompletableFuture<PostOutcome> post(OutgoingSignal signal) {
		Pending p = new Pending(signal);
		if (closed) {
			p.result.complete(new PostOutcome(PostStatus.CLOSED, "mailbox closed"));
			return p.result;
		}
		run(() -> {
			if (queue.size() >= options.maxQueued()) {
				dropOldestCandidate();
			}
			if (queue.size() >= options.maxQueued()) {
				failed.incrementAndGet();
				p.result.complete(new PostOutcome(PostStatus.FAILED, "too many signals waiting to be posted"));
				return;
			}
			queue.add(p);
			pump();
		});
		return p.result;
	}

	/** Polls once more shortly (after posting an offer or an answer, the reply is expected soon). */
	public void pollSoon() {
		run(() -> schedulePoll(POLL_SOON.toNanos()));
	}

	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		try {
			executor.submit(() -> {
				if (nextPoll != null) {
					nextPoll.cancel(false);
				}
				if (pumpLater != null) {
					pumpLater.cancel(false);
				}
				for (Pending p : queue) {
					p.result.complete(new PostOutcome(PostStatus.CLOSED, "mailbox closed"));
				}
				queue.clear();
				if (inFlight != null) {
					inFlight.result.complete(new PostOutcome(PostStatus.CLOSED, "mailbox closed"));
				}
			}).get(2, TimeUnit.SECONDS);
		} catch (Exception e) {
			LOG.log(System.Logger.Level.DEBUG, "mailbox shutdown: " + e);
		}
		executor.shutdownNow();
		http.shutdownNow();
	}

	// ------------------------------------------------------------------ posting

	private void dropOldestCandidate() {
		for (Iterator<Pending> it = queue.iterator(); it.hasNext();) {
			Pending p = it.next();
			if (p.signal.isCandidate()) {
				it.remove();
				failed.incrementAndGet();
				p.result.complete(new PostOutcome(PostStatus.FAILED, "dropped: too many signals waiting"));
				return;
			}
		}
	}

	private void pump() {
		if (closed || inFlight != null) {
			return;
		}
		long now = System.nanoTime();
		if (now - postBlockedUntil < 0) {
			if (pumpLater == null || pumpLater.isDone()) {
				pumpLater = schedule(this::pump, postBlockedUntil - now);
			}
			return;
		}
		Pending p;
		while ((p = queue.poll()) != null) {
			if (now - p.expiresAt >= 0) {
				failed.incrementAndGet();
				p.result.complete(new PostOutcome(PostStatus.EXPIRED, "expired while the relay was busy"));
				continue;
			}
			break;
		}
		if (p == null) {
			return;
		}
		inFlight = p;
		Pending sending = p;
		byte[] body = body(p.signal);
		HttpRequest.Builder request = HttpRequest.newBuilder(signalUrl).timeout(options.requestTimeout())
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
		RequestSigner signer = signer(p.signal.circleHint());
		if (signer != null) {
			try {
				sign(request, "POST", body, signer);
			} catch (RuntimeException e) {
				inFlight = null;
				failed.incrementAndGet();
				p.result.complete(new PostOutcome(PostStatus.FAILED, "cannot sign the signal: " + e.getMessage()));
				pump();
				return;
			}
		}
		p.signed = signer != null;
		http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
				.whenCompleteAsync((response, error) -> posted(sending, response, error), executor);
	}

	private byte[] body(OutgoingSignal s) {
		ObjectNode o = JSON.createObjectNode();
		o.put("session_id", s.sessionId());
		o.put("from_node_id", nodeId);
		o.put("to_node_id", s.toNode());
		o.put("circle_hint", s.circleHint());
		o.put("type", s.type());
		o.put("payload", s.payload());
		o.put("ttl_s", s.ttlSeconds());
		try {
			return JSON.writeValueAsBytes(o);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("cannot serialize a signal", e);
		}
	}

	private void posted(Pending p, HttpResponse<byte[]> response, Throwable error) {
		inFlight = null;
		if (closed) {
			p.result.complete(new PostOutcome(PostStatus.CLOSED, "mailbox closed"));
			return;
		}
		if (error != null) {
			setAvailability(Availability.UNREACHABLE, describe(error));
			retry(p, describe(error));
		} else {
			int status = response.statusCode();
			if (status >= 200 && status < 300) {
				postBackoffNanos = 0;
				posted.incrementAndGet();
				setAvailability(Availability.AVAILABLE, "");
				p.result.complete(new PostOutcome(PostStatus.POSTED, ""));
			} else if (status == 429) {
				rateLimited.incrementAndGet();
				retry(p, "rate limited by the relay");
			} else if (p.signed && status == 400 && "EXPIRED_TIMESTAMP".equals(code(response.body()))
					&& !p.clockAdopted) {
				// Our clock differs from the relay's by more than its skew: post again on the relay's time.
				p.clockAdopted = true;
				inFlight = p;
				adoptClock(() -> {
					inFlight = null;
					if (closed) {
						p.result.complete(new PostOutcome(PostStatus.CLOSED, "mailbox closed"));
						return;
					}
					queue.addFirst(p);
					pump();
				});
				return;
			} else if (p.signed && status == 409 && "NONCE_REPLAY".equals(code(response.body()))) {
				// A fresh nonce is drawn for every attempt.
				retry(p, "HTTP 409" + codeAndDetail(response.body()));
			} else if (status == 404 || status == 405) {
				refused.incrementAndGet();
				setAvailability(Availability.UNSUPPORTED, "the relay has no signaling mailbox (HTTP " + status + ")");
				p.result.complete(new PostOutcome(PostStatus.REFUSED, availabilityDetail));
			} else if (status >= 400 && status < 500) {
				refused.incrementAndGet();
				String why = "HTTP " + status + codeAndDetail(response.body());
				if (status == 401 && !p.signed) {
					why += " (the signal was unsigned: no key of circle " + p.signal.circleHint()
							+ " is known to this mailbox)";
				}
				LOG.log(System.Logger.Level.WARNING, "The relay " + signalUrl + " refused a " + p.signal.type()
						+ " signal to " + p.signal.toNode() + ": " + why);
				p.result.complete(new PostOutcome(PostStatus.REFUSED, why));
			} else {
				retry(p, "HTTP " + status + detail(response.body()));
			}
		}
		pump();
	}

	private void retry(Pending p, String why) {
		postBackoffNanos = postBackoffNanos == 0 ? options.minBackoff().toNanos()
				: Math.min(options.maxBackoff().toNanos(), postBackoffNanos * 2);
		postBlockedUntil = System.nanoTime() + postBackoffNanos;
		if (++p.attempts >= options.maxAttempts()) {
			failed.incrementAndGet();
			p.result.complete(new PostOutcome(PostStatus.FAILED, why));
			return;
		}
		queue.addFirst(p);
	}

	// ------------------------------------------------------------------ polling

	private void schedulePoll(long delayNanos) {
		if (closed || subscribers.isEmpty()) {
			return;
		}
		long due = System.nanoTime() + Math.max(0, delayNanos);
		if (nextPoll != null && !nextPoll.isDone() && nextPollDue - due <= 0) {
			return;
		}
		if (nextPoll != null) {
			nextPoll.cancel(false);
		}
		nextPollDue = due;
		nextPoll = schedule(this::poll, Math.max(0, delayNanos));
	}

	/**
	 * One poll: a signed read per circle with a signer, then an unsigned read when there is no signer or a signed
	 * read was refused. Mailbox thread only.
	 */
	private final class PollCycle {
		final Deque<String> reads = new ArrayDeque<>();
		final List<Signal> signals = new ArrayList<>();
		final List<String> refusedCircles = new ArrayList<>();
		String refusedDetail;
		boolean unsignedQueued;
		boolean clockAdopted;
		boolean fullPage;
		boolean anyRead;
		String problem;
		Availability problemKind;
		long serverTime = System.currentTimeMillis() / 1000;

		PollCycle(List<String> circles) {
			reads.addAll(circles);
			if (circles.isEmpty()) {
				queueUnsigned();
			}
		}

		void queueUnsigned() {
			if (!unsignedQueued) {
				unsignedQueued = true;
				reads.addLast(UNSIGNED_READ);
			}
		}

		void fail(Availability kind, String why) {
			if (problem == null) {
				problem = why;
				problemKind = kind;
			}
		}
	}

	/** Marks the unsigned read in a {@link PollCycle}; never a circle hint (8+ characters). */
	private static final String UNSIGNED_READ = "";

	private void poll() {
		if (closed || subscribers.isEmpty()) {
			return;
		}
		if (pollRunning) {
			pollAgain = true;
			return;
		}
		pollRunning = true;
		polls.incrementAndGet();
		List<String> circles = new ArrayList<>(signers.keySet());
		circles.sort(null);
		circleCursors.keySet().retainAll(circles);
		readNext(new PollCycle(circles));
	}

	private void readNext(PollCycle cycle) {
		if (closed) {
			pollRunning = false;
			return;
		}
		String circle = cycle.reads.poll();
		if (circle == null) {
			finish(cycle);
			return;
		}
		read(cycle, circle);
	}

	private void read(PollCycle cycle, String circle) {
		boolean signed = !circle.isEmpty();
		RequestSigner signer = signed ? signer(circle) : null;
		if (signed && signer == null) {
			// Its user let go of the circle meanwhile.
			readNext(cycle);
			return;
		}
		long since = signed ? circleCursors.getOrDefault(circle, 0L) : cursor;
		URI uri = URI.create(signalUrl + "?to_node_id=" + URLEncoder.encode(nodeId, StandardCharsets.UTF_8)
				+ "&since_id=" + since
				+ (signed ? "&circle_hint=" + URLEncoder.encode(circle, StandardCharsets.UTF_8) : ""));
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(options.requestTimeout()).GET();
		if (signed) {
			try {
				sign(request, "GET", NO_BODY, signer);
			} catch (RuntimeException e) {
				cycle.fail(Availability.UNREACHABLE, "cannot sign the signal read: " + e.getMessage());
				readNext(cycle);
				return;
			}
		}
		http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
				.whenCompleteAsync((response, error) -> readDone(cycle, circle, response, error), executor);
	}

	private void readDone(PollCycle cycle, String circle, HttpResponse<byte[]> response, Throwable error) {
		if (closed) {
			pollRunning = false;
			return;
		}
		boolean signed = !circle.isEmpty();
		if (error != null) {
			cycle.fail(Availability.UNREACHABLE, describe(error));
			finish(cycle);
			return;
		}
		int status = response.statusCode();
		if (status == 404 || status == 405) {
			cycle.fail(Availability.UNSUPPORTED, "the relay has no signaling mailbox (HTTP " + status + ")");
			finish(cycle);
			return;
		}
		if (signed && status == 400 && "EXPIRED_TIMESTAMP".equals(code(response.body())) && !cycle.clockAdopted) {
			// Our clock differs from the relay's by more than its skew: read again on the relay's time.
			cycle.clockAdopted = true;
			adoptClock(() -> read(cycle, circle));
			return;
		}
		if (status != 200) {
			String why = "HTTP " + status + codeAndDetail(response.body());
			if (signed && status >= 400 && status < 500) {
				// The relay does not know this circle's key (yet): read the way the web client does instead.
				cycle.refusedCircles.add(circle);
				cycle.refusedDetail = why;
				cycle.queueUnsigned();
			} else if (!signed && !cycle.refusedCircles.isEmpty()) {
				cycle.fail(Availability.UNREACHABLE, "the relay refused the signed signal read of circle "
						+ cycle.refusedCircles.get(0) + " (" + cycle.refusedDetail + ") and the unsigned one (" + why
						+ ")");
			} else {
				cycle.fail(Availability.UNREACHABLE, why);
			}
			readNext(cycle);
			return;
		}
		if (response.body().length > MAX_REPLY_BYTES) {
			cycle.fail(Availability.UNREACHABLE, "the relay's signal page is larger than " + MAX_REPLY_BYTES + " bytes");
			readNext(cycle);
			return;
		}
		try {
			parse(response.body(), signed ? circle : null, cycle);
			cycle.anyRead = true;
		} catch (IOException | IllegalArgumentException e) {
			cycle.fail(Availability.UNREACHABLE, "unreadable signal page: " + e.getMessage());
		}
		readNext(cycle);
	}

	private void finish(PollCycle cycle) {
		pollRunning = false;
		if (cycle.anyRead) {
			// What was read is delivered even when another read of the cycle failed.
			cycle.signals.sort(java.util.Comparator.comparingLong(Signal::id));
			received.addAndGet(cycle.signals.size());
			deliver(cycle.signals, cycle.serverTime);
		}
		if (cycle.problem != null) {
			pollFailures.incrementAndGet();
			setAvailability(cycle.problemKind, cycle.problem);
			pollBackoffNanos = pollBackoffNanos == 0 ? options.idlePoll().toNanos()
					: Math.min(options.maxPollBackoff().toNanos(), pollBackoffNanos * 2);
			String why = cycle.problem;
			LOG.log(System.Logger.Level.DEBUG, () -> "signal poll failed: " + why);
			schedulePoll(pollBackoffNanos);
			return;
		}
		setAvailability(Availability.AVAILABLE, "");
		pollBackoffNanos = 0;
		boolean fast = subscribers.stream().anyMatch(Subscriber::wantsFastPolling);
		long delay = cycle.fullPage || pollAgain ? 0 : (fast ? options.fastPoll() : options.idlePoll()).toNanos();
		pollAgain = false;
		schedulePoll(delay);
	}

	/**
	 * Reads one page into the cycle and moves that read's cursor.
	 *
	 * @param circle the circle of a signed read, {@code null} for the unsigned one
	 */
	private void parse(byte[] body, String circle, PollCycle cycle) throws IOException {
		JsonNode root = JSON.readTree(body);
		if (root == null || !root.isObject() || !root.path("ok").asBoolean(false)) {
			throw new IllegalArgumentException("not a signal page");
		}
		long serverTime = root.path("server_time").asLong(System.currentTimeMillis() / 1000);
		cycle.serverTime = serverTime;
		long readCursor = circle == null ? cursor : circleCursors.getOrDefault(circle, 0L);
		if (root.path("signals").size() >= PAGE) {
			cycle.fullPage = true;
		}
		for (JsonNode s : root.path("signals")) {
			JsonNode id = s.get("id");
			if (id == null || !id.canConvertToLong()) {
				continue;
			}
			long signalId = id.asLong();
			if (signalId <= readCursor) {
				continue;
			}
			readCursor = signalId;
			if (!delivered.add(signalId)) {
				// Already read under another circle (a relay that ignores circle_hint), or by the unsigned read.
				continue;
			}
			String session = text(s, "session_id");
			String from = text(s, "from_node");
			String to = text(s, "to_node");
			String type = text(s, "type");
			String payload = text(s, "payload");
			if (session == null || from == null || type == null || payload == null) {
				LOG.log(System.Logger.Level.DEBUG, () -> "skipping malformed signal " + signalId);
				continue;
			}
			long createdAt = s.path("created_at").asLong(serverTime);
			cycle.signals.add(new Signal(signalId, session, from, to == null ? nodeId : to, type, payload, createdAt,
					Math.max(0, serverTime - createdAt), circle));
		}
		if (circle == null) {
			cursor = readCursor;
		} else {
			circleCursors.put(circle, readCursor);
		}
	}

	private static String text(JsonNode o, String key) {
		JsonNode v = o.get(key);
		return v != null && v.isTextual() ? v.textValue() : null;
	}

	private void deliver(List<Signal> signals, long serverTime) {
		for (Subscriber s : subscribers) {
			List<Signal> mine = new ArrayList<>();
			for (Signal signal : signals) {
				if (s.handles(signal.type())) {
					mine.add(signal);
				}
			}
			try {
				s.received(mine, serverTime);
			} catch (RuntimeException e) {
				LOG.log(System.Logger.Level.WARNING, "a signal subscriber failed", e);
			}
		}
	}

	// ------------------------------------------------------------------ signatures

	/** Adds the §3.8 headers: the route after {@code /v1} is {@code /signal} whatever the relay's base path. */
	private void sign(HttpRequest.Builder request, String method, byte[] body, RequestSigner signer) {
		long ts = System.currentTimeMillis() / 1000 + clockOffsetSeconds;
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		String nonceHex = HexFormat.of().formatHex(nonce);
		String signature = signer.sign(method, "/signal", body, ts, nonceHex);
		request.header("X-Felund-Node", nodeId).header("X-Felund-Ts", Long.toString(ts))
				.header("X-Felund-Nonce", nonceHex).header("X-Felund-Signature", signature);
	}

	/** Reads the relay's clock from {@code /v1/health} ({@code time}), then continues on the mailbox thread. */
	private void adoptClock(Runnable then) {
		String url = signalUrl.toString();
		URI health = URI.create(url.substring(0, url.length() - "signal".length()) + "health");
		HttpRequest request = HttpRequest.newBuilder(health).timeout(options.requestTimeout()).GET().build();
		http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenCompleteAsync((response, error) -> {
			if (error == null && response.statusCode() == 200) {
				try {
					JsonNode time = JSON.readTree(response.body()).get("time");
					if (time != null && time.canConvertToLong()) {
						long offset = time.longValue() - System.currentTimeMillis() / 1000;
						LOG.log(System.Logger.Level.INFO, "The relay " + signalUrl + "'s clock differs from ours by "
								+ offset + " s; signing signals on its time");
						clockOffsetSeconds = offset;
					}
				} catch (IOException e) {
					// The request fails again and says why.
				}
			}
			then.run();
		}, executor);
	}

	private static String code(byte[] body) {
		try {
			JsonNode json = body == null || body.length == 0 ? null : JSON.readTree(body);
			return json == null ? "" : json.path("code").asText("");
		} catch (IOException e) {
			return "";
		}
	}

	/** {@code " CODE: detail"} of an error reply, or the detail alone. */
	private static String codeAndDetail(byte[] body) {
		String code = code(body);
		return (code.isEmpty() ? "" : " " + code) + detail(body);
	}

	// ------------------------------------------------------------------ helpers

	private void setAvailability(Availability next, String detail) {
		if (availability == next && availabilityDetail.equals(detail)) {
			return;
		}
		availability = next;
		availabilityDetail = detail;
		for (Subscriber s : subscribers) {
			try {
				s.availabilityChanged(next, detail);
			} catch (RuntimeException e) {
				LOG.log(System.Logger.Level.WARNING, "a signal subscriber failed", e);
			}
		}
	}

	private void run(Runnable task) {
		if (closed) {
			return;
		}
		try {
			executor.execute(task);
		} catch (RejectedExecutionException e) {
			// Closing.
		}
	}

	private ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
		try {
			return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
		} catch (RejectedExecutionException e) {
			return null;
		}
	}

	private static String detail(byte[] body) {
		if (body == null || body.length == 0) {
			return "";
		}
		try {
			JsonNode json = JSON.readTree(body);
			String d = json == null ? "" : json.path("detail").asText("");
			return d.isEmpty() ? "" : ": " + (d.length() > 200 ? d.substring(0, 200) + "…" : d);
		} catch (IOException e) {
			return "";
		}
	}

	static String describe(Throwable e) {
		Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
		if (t instanceof java.net.ConnectException) {
			return "cannot connect to the relay";
		}
		if (t instanceof java.net.http.HttpTimeoutException) {
			return "the relay did not answer in time";
		}
		return "relay connection failed: " + t.getClass().getSimpleName()
				+ (t.getMessage() == null ? "" : " " + t.getMessage());
	}
}
