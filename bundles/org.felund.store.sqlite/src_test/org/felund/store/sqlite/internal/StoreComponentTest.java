package org.felund.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.store.sqlite.Fixtures;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.store.sqlite.StoreOptions;
import org.felund.store.sqlite.StoreOptions.Durability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreComponentTest {
	@TempDir
	Path home;

	@Test
	void theHomeDefaultsToDotFelundInTheUserHome() {
		var c = StoreComponent.config(k -> null, k -> null);
		assertEquals(Path.of(System.getProperty("user.home"), ".felund"), c.home());
		assertNull(c.passphrase());
		assertEquals(StoreOptions.DEFAULT, c.options());
	}

	@Test
	void theEnvironmentPassphraseWinsOverTheProperty() {
		Map<String, String> props = new HashMap<>(Map.of(StoreComponent.HOME_PROPERTY, home.toString(),
				StoreComponent.PASSPHRASE_PROPERTY, "from-property", StoreComponent.DURABILITY_PROPERTY, "normal"));
		var fromEnv = StoreComponent.config(props::get, Map.of(StoreComponent.PASSPHRASE_ENV, "from-env")::get);
		assertArrayEquals("from-env".toCharArray(), fromEnv.passphrase());
		assertEquals(home, fromEnv.home());
		assertEquals(Durability.PROCESS_CRASH, fromEnv.options().durability());
		var fromProperty = StoreComponent.config(props::get, Map.of(StoreComponent.PASSPHRASE_ENV, "")::get);
		assertArrayEquals("from-property".toCharArray(), fromProperty.passphrase());
		props.put(StoreComponent.DURABILITY_PROPERTY, "sometimes");
		assertThrows(IllegalArgumentException.class, () -> StoreComponent.config(props::get, k -> null));
	}

	@Test
	void theComponentServesAllThreeStoresFromTheHomeAndClosesIt() {
		StoreComponent component = new StoreComponent(
				StoreComponent.open(Map.of(StoreComponent.HOME_PROPERTY, home.toString())::get, k -> null));
		CircleSecret secret = Fixtures.randomSecret();
		String circleId = Fixtures.circleIdOf(secret);
		component.put(circleId, secret);
		ChatMessage m = Fixtures.message(circleId, "general", Fixtures.id(1), 5);
		assertTrue(component.put(m));
		component.putSetting("node_id", "abc");
		assertTrue(Files.exists(home.resolve(SqliteNodeStore.DATABASE_FILE)));
		component.deactivate();
		assertThrows(IllegalStateException.class, () -> component.contains(circleId, m.msgId()));
		try (SqliteNodeStore store = Fixtures.open(home)) {
			assertEquals(secret, store.secrets().get(circleId).orElseThrow());
			assertEquals(List.of(m), store.messages().recent(circleId, true, 10));
			assertEquals("abc", store.state().setting("node_id").orElseThrow());
		}
	}

	/**
	 * The component is what the products run on: a store method it does not pass on falls back to the interface's
	 * default (for delivery state: "keeps no delivery state"), which no test of the store itself would notice.
	 */
	@Test
	void theComponentPassesOnEveryMethodOfTheThreeStores() {
		for (Class<?> service : List.of(org.felund.api.store.MessageStore.class, org.felund.api.store.CircleStore.class,
				org.felund.api.store.SecretStore.class)) {
			for (java.lang.reflect.Method m : service.getMethods()) {
				if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
					continue;
				}
				try {
					assertEquals(StoreComponent.class,
							StoreComponent.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass(),
							service.getSimpleName() + "." + m.getName() + " is not passed on");
				} catch (NoSuchMethodException e) {
					throw new AssertionError(e);
				}
			}
		}
	}

	@Test
	void theComponentKeepsDeliveryState() {
		StoreComponent component = new StoreComponent(
				StoreComponent.open(Map.of(StoreComponent.HOME_PROPERTY, home.toString())::get, k -> null));
		try {
			CircleSecret secret = Fixtures.randomSecret();
			String circleId = Fixtures.circleIdOf(secret);
			component.put(circleId, secret);
			ChatMessage m = Fixtures.message(circleId, "general", Fixtures.id(1), 5);
			assertTrue(component.put(m));
			org.felund.api.model.Delivery.Hop hop = new org.felund.api.model.Delivery.Hop("gossip",
					"0cb13fa7ec0e5513ae5efce2", org.felund.api.model.Delivery.Route.ANCHOR, 6);
			assertTrue(component.recordDelivery(circleId, m.msgId(), hop));
			assertEquals(Map.of(m.msgId(), List.of(hop)), component.deliveries(circleId, List.of(m.msgId())));
		} finally {
			component.deactivate();
		}
	}
}
