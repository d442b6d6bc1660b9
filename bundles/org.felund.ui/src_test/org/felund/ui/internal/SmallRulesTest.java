package org.felund.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.Set;

import org.felund.api.model.Member;
import org.felund.api.transport.TransportState;
import org.junit.jupiter.api.Test;

/** Presence, the status line's segments and unread counting: small rules the parts rely on. */
class SmallRulesTest {
	private static final String ME = "aaaaaaaaaaaaaaaaaaaaaaaa";
	private static final long NOW = 1_000_000;

	@Test
	void membersAreOnlineWhenReachableOrRecentlyHeardFrom() {
		assertTrue(Presence.online(new Member(ME, "me", 0, Set.of()), ME, NOW), "you are always online");
		assertTrue(Presence.online(new Member("b", "", 0, Set.of("relay")), ME, NOW));
		assertTrue(Presence.online(new Member("b", "", NOW - 120, Set.of()), ME, NOW));
		assertFalse(Presence.online(new Member("b", "", NOW - 121, Set.of()), ME, NOW));
		assertEquals("seen 2 min ago", Presence.describe(new Member("b", "", NOW - 121, Set.of()), ME, NOW));
		assertEquals("seen 3 h ago", Presence.describe(new Member("b", "", NOW - 3 * 3600, Set.of()), ME, NOW));
		assertEquals("seen 2 d ago", Presence.describe(new Member("b", "", NOW - 2 * 86_400, Set.of()), ME, NOW));
		assertEquals("not seen yet", Presence.describe(new Member("b", "", 0, Set.of()), ME, NOW));
	}

	@Test
	void aTransportsSegmentIsItsOwnLabelOrADefaultFromItsState() {
		TransportState labelled = new TransportState(TransportState.Mode.LIVE, 3, "3 DataChannels open", "p2p(3)");
		assertEquals("p2p(3)", StatusText.segment("webrtc", labelled));
		assertEquals("3 DataChannels open", StatusText.tooltip("webrtc", labelled));
		TransportState plain = new TransportState(TransportState.Mode.LIVE, 1, "");
		assertEquals("carrier live, 1 peer", StatusText.segment("carrier", plain));
		assertEquals("carrier: live, 1 peer", StatusText.tooltip("carrier", plain), "no detail: the state in words");
		assertEquals("carrier poll, 0 peers", StatusText.segment("carrier", new TransportState(TransportState.Mode.POLL, 0, "")));
		assertEquals("carrier offline", StatusText.segment("carrier", TransportState.offline("no route")));
		assertEquals("no route", StatusText.tooltip("carrier", TransportState.offline("no route")));
	}

	@Test
	void unreadCountsAddUpPerCircleAndArePersistedAsTheyChange() {
		Map<String, Integer> saved = new HashMap<>();
		saved.put("c1/general", 2);
		saved.put("broken", 5);
		UnreadCounts counts = new UnreadCounts(saved, saved::put);
		int[] changes = new int[1];
		counts.addListener(() -> changes[0]++);
		counts.increment("c1", "dev");
		counts.increment("c2", "general");
		assertEquals(3, counts.circleTotal("c1"));
		assertEquals(4, counts.total(), "keys without a channel are dropped");
		assertEquals(1, saved.get("c1/dev"));
		counts.clear("c1", "general");
		assertEquals(0, saved.get("c1/general"));
		counts.clear("c1", "general");
		counts.forgetCircle("c2");
		assertEquals(1, counts.total());
		assertEquals(4, changes[0], "a clear of nothing does not notify");
	}

	@Test
	void draftsAreKeptPerChannelPersistedAndForgottenWithTheirCircle() {
		Map<String, String> saved = new HashMap<>();
		saved.put("c1/general", "half a thought");
		saved.put("c1/blank", "  ");
		Drafts drafts = new Drafts(saved, saved::put);
		ChannelRef general = new ChannelRef("c1", "general");
		assertEquals("half a thought", drafts.get(general));
		assertEquals("", drafts.get(new ChannelRef("c1", "blank")));
		drafts.put(new ChannelRef("c2", "dev"), "later");
		assertEquals("later", saved.get("c2/dev"));
		assertEquals(general, drafts.any().orElseThrow());
		drafts.put(general, "  ");
		assertEquals("", saved.get("c1/general"), "sent or cleared: no draft");
		drafts.forgetCircle("c2");
		assertTrue(drafts.any().isEmpty());
	}

	@Test
	void windowBoundsAreReadBackOnlyWhenTheyMakeSense() {
		assertEquals(new org.eclipse.swt.graphics.Rectangle(10, 20, 900, 700), WindowMemory.parse("10,20,900,700"));
		assertEquals(null, WindowMemory.parse("10,20,30,700"), "too small to use");
		assertEquals(null, WindowMemory.parse("10,20,x,700"));
		assertEquals(null, WindowMemory.parse(""));
	}

	@Test
	void aSecondLaunchHandsItsArgumentsToTheFirstOverItsHomesSocket() throws Exception {
		Path home = Files.createTempDirectory("felund-single");
		List<List<String>> received = new CopyOnWriteArrayList<>();
		assertFalse(SingleInstance.forward(home, List.of("felund1.abc")), "no workbench runs on this home yet");
		try (SingleInstance first = SingleInstance.listen(home, received::add)) {
			assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions
					.toString(Files.getPosixFilePermissions(SingleInstance.socketOf(home))), "only the user may ask");
			assertTrue(SingleInstance.forward(home, List.of("felund1.abc", "-flag")));
			assertEquals(List.of(List.of("felund1.abc", "-flag")), new ArrayList<>(received));
			assertFalse(SingleInstance.forward(Files.createTempDirectory("felund-other"), List.of()),
					"another home has its own workbench");
		}
		assertFalse(Files.exists(SingleInstance.socketOf(home)), "closing removes the socket");
		// A socket file left by a crashed workbench answers nobody: the next launch takes over.
		Files.createFile(SingleInstance.socketOf(home));
		assertFalse(SingleInstance.forward(home, List.of()));
		try (SingleInstance next = SingleInstance.listen(home, received::add)) {
			assertTrue(SingleInstance.forward(home, List.of()));
		}
	}

	@Test
	void deliveryMarksAndPathsAreReadableInBothThemesAndSentLooksUnlikeDelivered() {
		for (boolean dark : new boolean[] { false, true }) {
			org.eclipse.swt.graphics.RGB background = Theme.chatBackground(dark);
			for (org.eclipse.swt.graphics.RGB colour : List.of(Theme.sent(dark), Theme.delivered(dark),
					Theme.pathText(dark))) {
				// WCAG 2 AA for normal text
				assertTrue(contrast(colour, background) >= 4.5,
						(dark ? "dark: " : "light: ") + colour + " on " + background + " = " + contrast(colour, background));
			}
			assertFalse(Theme.sent(dark).equals(Theme.delivered(dark)));
		}
		assertFalse(DeliveryText.SENT_MARK.equals(DeliveryText.DELIVERED_MARK));
	}

	private static double contrast(org.eclipse.swt.graphics.RGB a, org.eclipse.swt.graphics.RGB b) {
		double la = luminance(a);
		double lb = luminance(b);
		return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
	}

	private static double luminance(org.eclipse.swt.graphics.RGB c) {
		return 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue);
	}

	private static double linear(int channel) {
		double v = channel / 255.0;
		return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
	}
}
