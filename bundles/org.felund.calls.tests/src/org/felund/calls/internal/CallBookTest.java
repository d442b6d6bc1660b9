package org.felund.calls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.felund.api.call.Call;
import org.felund.api.call.Role;
import org.felund.api.control.CallEvent;
import org.felund.api.control.ControlMessage;
import org.junit.jupiter.api.Test;

class CallBookTest {
	private static final String C = "630dcd2966c4336691125448";
	private static final String S = "5e555e555e555e555e555e555e555e55";
	private static final String ALICE = "a1a1a1a1a1a1a1a1a1a1a1a1";
	private static final String BOB = "b2b2b2b2b2b2b2b2b2b2b2b2";
	private static final String CAROL = "c3c3c3c3c3c3c3c3c3c3c3c3";
	private static final Map<String, String> NAMES = Map.of(ALICE, "alice", BOB, "bob", CAROL, "carol");
	private static final long T0 = 1_800_000_000L;

	private final CallBook book = new CallBook(id -> NAMES.getOrDefault(id, id));
	private int counter;

	private CallBook.Outcome apply(String author, CallEvent event) {
		return book.apply(new ControlMessage(C, "m" + (++counter), author, NAMES.get(author), T0 + counter, event),
				T0 + counter);
	}

	private static CallEvent join(String node, String actor) {
		return CallEvent.participation(CallEvent.Op.JOIN, S, node, actor);
	}

	private Call call() {
		return book.call(S).orElseThrow();
	}

	@Test
	void theHostStartsPeopleJoinWatchAndLeaveAndOnlyTheHostEndsIt() {
		CallBook.Outcome created = apply(ALICE, CallEvent.create(S, ALICE, C, "dev", T0));
		assertTrue(created.started());
		assertEquals(new Call(S, C, "dev", ALICE, Call.State.PENDING, List.of(ALICE), List.of(), T0, ""), call());

		apply(BOB, join(BOB, BOB));
		apply(CAROL, CallEvent.participation(CallEvent.Op.VIEW, S, CAROL, CAROL));
		assertEquals(Call.State.ACTIVE, call().state());
		assertEquals(List.of(ALICE, BOB), call().participants());
		assertEquals(Role.VIEWER, call().roleOf(CAROL));
		assertEquals(Role.HOST, call().roleOf(ALICE));

		CallBook.Outcome notTheHost = apply(BOB, CallEvent.end(S, ALICE));
		assertEquals("sent in alice\u2019s name", notTheHost.verdict().reason(), "the actor is only claimed");
		CallBook.Outcome bobEnds = apply(BOB, new CallEvent(CallEvent.Op.END, S, BOB, ALICE, null, null, null, null,
				null, null));
		assertTrue(bobEnds.verdict().ignored());
		assertEquals("only alice (the host) can end it", bobEnds.verdict().reason());
		assertFalse(call().ended());

		apply(BOB, CallEvent.participation(CallEvent.Op.LEAVE, S, BOB, BOB));
		assertEquals(List.of(ALICE), call().participants());
		assertEquals(CallBook.Verdict.Kind.APPLIED, apply(ALICE, CallEvent.end(S, ALICE)).verdict().kind());
		assertTrue(call().ended());
		assertEquals("ended by alice", call().endReason());
		assertTrue(book.open(C).isEmpty());
		assertEquals("the call has ended", apply(BOB, join(BOB, BOB)).verdict().reason());
	}

	@Test
	void onlyTheHostRevokesAndARevokedMemberStaysOut() {
		apply(ALICE, CallEvent.create(S, ALICE, C, "general", T0));
		apply(BOB, CallEvent.participation(CallEvent.Op.VIEW, S, BOB, BOB));
		CallBook.Outcome byCarol = apply(CAROL, new CallEvent(CallEvent.Op.REVOKE, S, CAROL, null, null, null, null,
				null, BOB, null));
		assertEquals("only alice (the host) can remove people", byCarol.verdict().reason());
		assertEquals(List.of(BOB), call().viewers());

		assertEquals(CallBook.Verdict.Kind.APPLIED, apply(ALICE, CallEvent.revoke(S, BOB, ALICE)).verdict().kind());
		assertEquals(List.of(), call().viewers());
		assertEquals("bob was removed from the call by the host",
				apply(BOB, CallEvent.participation(CallEvent.Op.VIEW, S, BOB, BOB)).verdict().reason());
		assertEquals("it names nobody", apply(ALICE, CallEvent.revoke(S, " ", ALICE)).verdict().reason());
	}

	@Test
	void nobodyJoinsLeavesOrCreatesForSomeoneElse() {
		assertEquals("it names bob as the host", apply(ALICE, new CallEvent(CallEvent.Op.CREATE, S, ALICE, BOB, C,
				"general", T0, null, null, null)).verdict().reason());
		assertEquals("sent in bob\u2019s name", apply(ALICE, CallEvent.create(S, BOB, C, "general", T0)).verdict()
				.reason());
		apply(ALICE, CallEvent.create(S, ALICE, C, "general", T0));
		assertEquals("only carol can join for themselves", apply(BOB, join(CAROL, BOB)).verdict().reason());
		apply(CAROL, join(CAROL, CAROL));
		assertEquals("only carol can leave for themselves; the host revokes",
				apply(ALICE, CallEvent.participation(CallEvent.Op.LEAVE, S, CAROL, ALICE)).verdict().reason());
		assertEquals(List.of(ALICE, CAROL), call().participants());
	}

	@Test
	void eventsBeforeTheirCreateWaitForItAndAWatcherWhoJoinsBecomesAParticipant() {
		CallBook.Outcome early = apply(BOB, join(BOB, BOB));
		assertEquals(CallBook.Verdict.Kind.WAITING, early.verdict().kind());
		apply(CAROL, CallEvent.participation(CallEvent.Op.VIEW, S, CAROL, CAROL));
		CallBook.Outcome created = apply(ALICE, CallEvent.create(S, ALICE, C, "general", T0));
		assertEquals(List.of(ALICE, BOB), created.changed().get(created.changed().size() - 1).participants().subList(0, 2));
		assertEquals(List.of(ALICE, BOB), call().participants());
		assertEquals(List.of(CAROL), call().viewers());
		assertEquals(CallBook.Verdict.Kind.APPLIED, book.verdict("m1").orElseThrow().kind());

		apply(CAROL, join(CAROL, CAROL));
		assertEquals(List.of(ALICE, BOB, CAROL), call().participants());
		assertEquals(List.of(), call().viewers());

		apply(BOB, CallEvent.participation(CallEvent.Op.JOIN, "0ther", BOB, BOB));
		book.prune(T0 + CallBook.ORPHAN_SECONDS + 100);
		assertEquals("no such call", book.verdict("m" + counter).orElseThrow().reason());
	}

	@Test
	void viewersAreServedInTheOrderTheyCame() {
		apply(ALICE, CallEvent.create(S, ALICE, C, "general", T0));
		for (String v : List.of(CAROL, BOB)) {
			apply(v, CallEvent.participation(CallEvent.Op.VIEW, S, v, v));
		}
		assertEquals(List.of(CAROL, BOB), call().viewers());
		assertEquals(List.of(CAROL), call().servedViewers(1));
	}

	@Test
	void aCallWhoseHostVanishedTimesOutAndComesBackWithTheHost() {
		apply(ALICE, CallEvent.create(S, ALICE, C, "general", T0));
		apply(BOB, join(BOB, BOB));
		long[] aliceSeen = { T0 };
		assertTrue(book.expire(T0 + 100, 180, k -> k.endsWith(ALICE) ? aliceSeen[0] : 0L, BOB).isEmpty());
		List<Call> ended = book.expire(T0 + 200, 180, k -> k.endsWith(ALICE) ? aliceSeen[0] : 0L, BOB);
		assertEquals(1, ended.size());
		assertTrue(ended.get(0).ended());
		assertEquals("alice (the host) has not been heard of for 3 minutes", ended.get(0).endReason());
		assertTrue(book.open(C).isEmpty());
		assertTrue(book.expire(T0 + 200, 180, k -> 0L, ALICE).isEmpty(), "the host's own calls never time out");

		aliceSeen[0] = T0 + 250;
		List<Call> back = book.expire(T0 + 260, 180, k -> k.endsWith(ALICE) ? aliceSeen[0] : 0L, BOB);
		assertEquals(Call.State.ACTIVE, back.get(0).state());
		assertEquals(List.of(ALICE, BOB), call().participants());
	}

	@Test
	void theSameMessageIsAppliedOnce() {
		ControlMessage create = new ControlMessage(C, "x1", ALICE, "alice", T0, CallEvent.create(S, ALICE, C, "Not a channel!", T0));
		assertTrue(book.apply(create, T0).started());
		CallBook.Outcome again = book.apply(create, T0);
		assertFalse(again.started());
		assertTrue(again.changed().isEmpty());
		assertEquals("general", call().channelId(), "an unusable channel id falls back to general");
	}
}
