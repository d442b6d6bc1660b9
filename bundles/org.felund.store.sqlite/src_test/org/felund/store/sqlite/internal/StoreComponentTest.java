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

	@Test
	void theComponentKeepsDeliveriesLikeTheStoreItOpens() {
		StoreComponent component = new StoreComponent(
				StoreComponent.open(Map.of(StoreComponent.HOME_PROPERTY, home.toString())::get, k -> null));
		try {
			CircleSecret secret = Fixtures.randomSecret();
			String circleId = Fixtures.circleIdOf(secret);
			ChatMessage m = Fixtures.message(circleId, "general", Fixtures.id(1), 5);
			assertTrue(component.put(m));
			var hop = new org.felund.api.model.Delivery.Hop("gossip", "0f3c5a9e2b7d41c8a6e0d2b1",
					org.felund.api.model.Delivery.Route.DIRECT, 7);
			assertTrue(component.recordDelivery(circleId, m.msgId(), hop));
			assertEquals(Map.of(m.msgId(), List.of(hop)), component.deliveries(circleId, List.of(m.msgId())));
		} finally {
			component.deactivate();
		}
	}

	/** A default method of a store interface left to its default would silently do less in the product (DS). */
	@Test
	void theComponentOverridesEveryDefaultMethodOfTheStoreInterfaces() {
		for (Class<?> service : StoreComponent.class.getInterfaces()) {
			for (java.lang.reflect.Method m : service.getMethods()) {
				if (m.isDefault()) {
					try {
						assertEquals(StoreComponent.class,
								StoreComponent.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass(),
								service.getSimpleName() + "." + m.getName() + " is left to its default");
					} catch (NoSuchMethodException e) {
						throw new AssertionError(e);
					}
				}
			}
		}
	}
}
