package org.felund.anchor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.model.AnchorRecord;

/**
 * The anchor election of protocol §6.1 made deterministic, so that every node of a circle picks the same anchor from
 * the same records.
 * <p>
 * <b>Candidates</b>: the circle's anchor records that offer to anchor and were seen within {@code staleness} (20 s).
 * <b>Rank</b>: by {@code 8·public_reachable + 4·can_anchor + 2·(not is_mobile)}, then by uptime (in how many of the
 * last 20 announcement rounds the node announced, counted from the announcements themselves, which every member
 * stores alike), then by its streak (how many rounds in a row, up to the last complete one, it announced: the anchor
 * that stayed up ranks above one that came back, on every node, including one that just started), then by
 * {@code node_id} (smallest first): no hash, nothing per process.
 * <b>Hysteresis</b>: the chosen anchor is kept until it stops being a candidate (stale or no longer offering; then the
 * best ranked one is taken at once). While it is outranked it is kept within {@code cooldown} (60 s) of being chosen,
 * and after that as long as it has fallen fewer than two ranks below candidates it once outranked while both had a full
 * uptime record (a rival that rose by one rank is no reason to move a whole circle). A candidate it never outranked so
 * (one this node had not seen, or that was stale, when it chose; or any rival while uptimes were still growing after a
 * start) and that ranks above it is taken after the cooldown: other nodes that saw it may have chosen it, and the best
 * ranked one is what every node converges on. A returning anchor does not take over: its
 * streak restarted, so the one that stayed up keeps the better rank.
 * <p>
 * <b>Settled rounds</b>: a round counts for uptime and streak only once a whole round has passed after its end, so
 * that a late announcement (gossip, a busy node) is in every node's count before it matters and no rank changes when
 * it arrives. Our own nodes announce in the middle of a round (see the announcer), a round and a half before it
 * counts.
 * <p>
 * Time comes from the callers ({@code nowSeconds}); announcements are fed with {@link #announced}. Thread-safe.
 */
public final class RankedAnchorPolicy implements AnchorPolicy {
	public static final long STALENESS_SECONDS = 20;
	public static final long COOLDOWN_SECONDS = 60;
	public static final int UPTIME_ROUNDS = 20;
	/** Rounds of announcements kept per node, the longest streak told apart. */
	public static final int HISTORY_ROUNDS = 200;

	/**
	 * @param offer whether this node offers to anchor
	 * @param roundSeconds the length of an announcement round (the announce interval of the circle's anchors)
	 * @param stalenessSeconds a record not seen for longer is no candidate
	 * @param cooldownSeconds a choice is kept at least this long unless its anchor stops being a candidate
	 */
	public record Settings(boolean offer, long roundSeconds, long stalenessSeconds, long cooldownSeconds) {
		public Settings {
			if (roundSeconds < 1 || stalenessSeconds < 1 || cooldownSeconds < 0) {
				throw new IllegalArgumentException("Anchor rounds and staleness must be at least 1 s");
			}
		}

		public static Settings defaults(boolean offer) {
			return new Settings(offer, 60, STALENESS_SECONDS, COOLDOWN_SECONDS);
		}
	}

	/** A choice, when it was made, and the candidates it has outranked since (grown while it is ranked first). */
	private record Choice(String nodeId, long since, Set<String> outranked) {
	}

	private volatile Settings settings;
	private final Map<String, Choice> chosen = new ConcurrentHashMap<>();
	/** circle → node → announcement rounds seen (only the last few are kept). */
	private final Map<String, Map<String, NavigableSet<Long>>> rounds = new ConcurrentHashMap<>();

	public RankedAnchorPolicy(Settings settings) {
		this.settings = settings;
	}

	public void settings(Settings newSettings) {
		settings = newSettings;
	}

	public Settings settings() {
		return settings;
	}

	@Override
	public boolean offersAnchor() {
		return settings.offer();
	}

	/** An {@code ANCHOR_ANNOUNCE} of {@code nodeId} made at {@code announcedAt} (its carrying message's time). */
	public void announced(String circleId, String nodeId, long announcedAt) {
		long round = Math.floorDiv(announcedAt, settings.roundSeconds());
		NavigableSet<Long> seen = rounds.computeIfAbsent(circleId, c -> new ConcurrentHashMap<>())
				.computeIfAbsent(nodeId, n -> new ConcurrentSkipListSet<>());
		seen.add(round);
		while (seen.size() > HISTORY_ROUNDS + 2) {
			seen.pollFirst();
		}
	}

	/**
	 * In how many of the last {@value #UPTIME_ROUNDS} settled rounds the node announced. A round is settled once a whole
	 * round has passed after its end, so that every node has its announcements by then and counts alike.
	 */
	public int uptime(String circleId, String nodeId, long nowSeconds) {
		NavigableSet<Long> seen = rounds.getOrDefault(circleId, Map.of()).get(nodeId);
		if (seen == null) {
			return 0;
		}
		long last = lastSettledRound(nowSeconds);
		return seen.subSet(last - UPTIME_ROUNDS + 1, true, last, true).size();
	}

	/**
	 * How many settled rounds in a row, ending with the last settled one, the node announced (at most
	 * {@value #HISTORY_ROUNDS}); settled rounds as for {@link #uptime}.
	 */
	public int streak(String circleId, String nodeId, long nowSeconds) {
		NavigableSet<Long> seen = rounds.getOrDefault(circleId, Map.of()).get(nodeId);
		if (seen == null) {
			return 0;
		}
		long r = lastSettledRound(nowSeconds);
		int n = 0;
		while (n < HISTORY_ROUNDS && seen.contains(r - n)) {
			n++;
		}
		return n;
	}

	private boolean fullUptime(String circleId, String nodeId, long nowSeconds) {
		return uptime(circleId, nodeId, nowSeconds) == UPTIME_ROUNDS;
	}

	/** The newest round that ended at least a whole round ago. */
	private long lastSettledRound(long nowSeconds) {
		return Math.floorDiv(nowSeconds, settings.roundSeconds()) - 2;
	}

	/** The candidates in rank order (best first), without hysteresis: the same on every node for the same inputs. */
	public List<String> rank(String circleId, List<AnchorRecord> records, long nowSeconds) {
		long staleness = settings.stalenessSeconds();
		record Ranked(String nodeId, long score, int streak) {
		}
		List<Ranked> ranked = new ArrayList<>();
		for (AnchorRecord r : records) {
			if (!r.canAnchor() || nowSeconds - r.lastSeenTs() > staleness
					|| ranked.stream().anyMatch(x -> x.nodeId().equals(r.nodeId()))) {
				continue;
			}
			long capabilities = (r.publicReachable() ? 8 : 0) + 4 + (r.isMobile() ? 0 : 2);
			ranked.add(new Ranked(r.nodeId(), capabilities * (UPTIME_ROUNDS + 1) + uptime(circleId, r.nodeId(), nowSeconds),
					streak(circleId, r.nodeId(), nowSeconds)));
		}
		ranked.sort(Comparator.comparingLong(Ranked::score).reversed()
				.thenComparing(Comparator.comparingInt(Ranked::streak).reversed()).thenComparing(Ranked::nodeId));
		return ranked.stream().map(Ranked::nodeId).toList();
	}

	@Override
	public Optional<String> select(String circleId, List<AnchorRecord> candidates, long nowSeconds) {
		List<String> order = order(circleId, candidates, nowSeconds);
		return order.isEmpty() ? Optional.empty() : Optional.of(order.get(0));
	}

	/** The chosen anchor (after hysteresis) first, then the other candidates by rank. */
	@Override
	public synchronized List<String> order(String circleId, List<AnchorRecord> candidates, long nowSeconds) {
		List<String> ranked = rank(circleId, candidates, nowSeconds);
		if (ranked.isEmpty()) {
			chosen.remove(circleId);
			return List.of();
		}
		Choice current = chosen.get(circleId);
		int at = current == null ? -1 : ranked.indexOf(current.nodeId());
		if (at < 0 || at > 0 && !keep(current, ranked.subList(0, at), nowSeconds)) {
			current = new Choice(ranked.get(0), nowSeconds, new HashSet<>());
			chosen.put(circleId, current);
		}
		if (ranked.get(0).equals(current.nodeId()) && fullUptime(circleId, current.nodeId(), nowSeconds)) {
			// Only rivals with a full record count as outranked: while uptimes still grow (everyone just started)
			// ranks move for that reason alone, and the best ranked one is what every node must converge on.
			for (String rival : ranked.subList(1, ranked.size())) {
				if (fullUptime(circleId, rival, nowSeconds)) {
					current.outranked().add(rival);
				}
			}
		}
		List<String> out = new ArrayList<>(ranked.size());
		out.add(current.nodeId());
		for (String id : ranked) {
			if (!id.equals(current.nodeId())) {
				out.add(id);
			}
		}
		return List.copyOf(out);
	}

	/** Whether an outranked choice stays, with {@code above} the candidates now ranked above it. */
	private boolean keep(Choice current, List<String> above, long nowSeconds) {
		if (nowSeconds - current.since() < settings.cooldownSeconds()) {
			return true; // no flapping
		}
		return above.size() < 2 && current.outranked().containsAll(above);
	}

	/** Forgets the choices (not the uptime history): the next call chooses afresh. */
	public void reset() {
		chosen.clear();
	}
}
