package org.felund.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.felund.api.model.Circle;
import org.junit.jupiter.api.Test;

/** Theme choice, notification text on the bus, the tray's tooltip and circle labels: the rules behind the desktop. */
class DesktopRulesTest {
	@Test
	void theThemeFollowsTheSystemUnlessThePersonChose() {
		assertEquals(Theme.DARK, Theme.wanted(Theme.SYSTEM, true));
		assertEquals(Theme.LIGHT, Theme.wanted(Theme.SYSTEM, false));
		assertEquals(Theme.LIGHT, Theme.wanted(null, false), "no preference: as the system prefers");
		assertEquals(Theme.LIGHT, Theme.wanted("light", true));
		assertEquals(Theme.DARK, Theme.wanted("dark", false));
	}

	@Test
	void theDesktopsPreferenceIsReadOffTheCallingThreadAtStartAndUsedByTheFirstApplyOnly() {
		java.util.concurrent.atomic.AtomicReference<Thread> readOn = new java.util.concurrent.atomic.AtomicReference<>();
		Theme.readSystemPreferenceAtStart(() -> {
			readOn.set(Thread.currentThread());
			return true;
		});
		assertTrue(Theme.systemPreferenceForApply(), "the answer read at start");
		assertTrue(readOn.get() != null && readOn.get() != Thread.currentThread(), "read on a thread of its own");
		System.setProperty("felund.systemTheme", "light");
		try {
			assertFalse(Theme.systemPreferenceForApply(), "later applies ask afresh");
		} finally {
			System.clearProperty("felund.systemTheme");
		}
	}

	@Test
	void textReachesTheBusAsItIsWhateverItHolds() {
		assertEquals("'plain'", DesktopNotifications.quote("plain"));
		assertEquals("'it\\'s a \\\\ test'", DesktopNotifications.quote("it's a \\ test"));
		assertEquals("'two\\nlines\\ttab'", DesktopNotifications.quote("two\nlines\ttab"));
		assertEquals("'bell\\u0007'", DesktopNotifications.quote("bell\u0007"));
		assertEquals("'Zażółć 😀'", DesktopNotifications.quote("Zażółć 😀"));
	}

	@Test
	void withoutABusOrClientTheCallerShowsItsOwnPopup() throws Exception {
		DesktopNotifications none = new DesktopNotifications(() -> null, "/usr/bin/gdbus");
		assertFalse(none.possible());
		CountDownLatch fallback = new CountDownLatch(1);
		none.show("t", "b", () -> {
		}, fallback::countDown);
		assertTrue(fallback.await(5, TimeUnit.SECONDS), "told at once that it cannot");
		none.close();
		DesktopNotifications noClient = new DesktopNotifications(() -> "unix:path=/nonexistent", null);
		assertFalse(noClient.possible());
		noClient.close();
	}

	@Test
	void aClickAnnouncedBeforeTheNotificationsIdCameBackStillOpensIt() throws Exception {
		// A gdbus whose monitor reports the click on notification 7 before "call" has returned that id: the
		// notification server shows a notification (and may be clicked) before its answer reaches us.
		java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("felund-gdbus-");
		java.nio.file.Path gdbus = dir.resolve("gdbus");
		java.nio.file.Files.writeString(gdbus, """
				#!/bin/sh
				if [ "$1" = monitor ]; then
				  echo "Monitoring signals from all objects owned by org.freedesktop.Notifications"
				  echo "/org/freedesktop/Notifications: org.freedesktop.Notifications.ActionInvoked (uint32 7, 'default')"
				  sleep 5
				else
				  sleep 0.5
				  echo "(uint32 7,)"
				fi
				""");
		gdbus.toFile().setExecutable(true);
		DesktopNotifications desktop = new DesktopNotifications(() -> "unix:path=/nonexistent", gdbus.toString());
		try {
			CountDownLatch opened = new CountDownLatch(1);
			desktop.show("bob in Book Club #general", "ping", opened::countDown, () -> {
			});
			assertTrue(opened.await(10, TimeUnit.SECONDS), "the early click opens the notification's channel");
		} finally {
			desktop.close();
			java.nio.file.Files.delete(gdbus);
			java.nio.file.Files.delete(dir);
		}
	}

	@Test
	void theTrayCountsUnreadMessages() {
		assertEquals("Felund", TrayIcon.tooltip(0));
		assertEquals("Felund \u2014 1 unread message", TrayIcon.tooltip(1));
		assertEquals("Felund \u2014 12 unread messages", TrayIcon.tooltip(12));
	}

	@Test
	void aCircleIsNamedNeverShownAsABareId() {
		FakeNode node = new FakeNode();
		String id = "0123456789abcdef01234567";
		assertEquals("Book Club", Labels.circle(node, new Circle(id, "h", " Book Club ", 0, "")));
		assertEquals("Unnamed circle (012345)", Labels.circle(node, new Circle(id, "h", "", 0, "")));
		assertEquals("Unnamed circle (012345)", Labels.circle(null, new Circle(id, "h", "", 0, "127.0.0.1:9")),
				"without a node nothing tells that it is joining");
		Circle joined = new Circle(id, "h", "", 0, "127.0.0.1:9");
		assertEquals("Joining a circle\u2026 (012345)", Labels.circle(node, joined), "nobody answered yet");
		node.members.add(new org.felund.api.model.Member("bbbbbbbbbbbbbbbbbbbbbbbb", "bob", 1, java.util.Set.of()));
		assertEquals("Unnamed circle (012345)", Labels.circle(node, joined), "someone answered, the name has not come");
	}
}
