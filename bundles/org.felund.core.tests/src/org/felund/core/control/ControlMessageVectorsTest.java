package org.felund.core.control;

import org.felund.api.control.ControlEvent;
import org.felund.api.control.ChannelEvent;
import org.felund.protocol.control.ControlEvents;
import org.felund.protocol.control.ChannelIds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.stream.Stream;

import org.felund.api.crypto.CircleCrypto;
import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.ChatMessage;
import org.felund.testsupport.Vectors;
import org.felund.core.node.MessageFactory;
import org.felund.protocol.wire.Json;
import org.felund.protocol.wire.MessageJson;
import org.felund.crypto.JcaCryptoService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The complete control messages of control_events.json, rebuilt with the pinned clock, salt and nonce. */
class ControlMessageVectorsTest {
	private static final JcaCryptoService CRYPTO = new JcaCryptoService();

	static Stream<Arguments> wrappedCases() {
		return Vectors.cases("control_events.json").stream().filter(c -> !c.get("message").isNull())
				.map(c -> Arguments.of(c.get("desc").asText(), c));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("wrappedCases")
	void wrappedControlMessageMatchesTheReferenceByteForByte(String desc, JsonNode c) {
		JsonNode pinned = Vectors.file("control_events.json").get("pinned");
		CircleCrypto circle = CRYPTO.forCircle(CircleSecret.fromHex(pinned.get("secret_hex").asText()));
		assertEquals(pinned.get("circle_id").asText(), circle.circleId());
		ControlEvent event = ControlEvents.parse(c.get("text").asText()).orElseThrow();

		ChatMessage built = MessageFactory.create(CRYPTO, circle, ChatMessage.CONTROL,
				pinned.get("author_node_id").asText(), pinned.get("display_name").asText(), ControlEvents.toText(event),
				pinned.get("created_ts").asLong(), pinned.get("msg_id_salt_hex").asText(),
				HexFormat.of().parseHex(pinned.get("aes_nonce_hex").asText()));

		assertEquals(Json.compact(c.get("message")), MessageJson.toWireString(built));
		assertEquals(c.get("message").get("mac").asText(), built.mac());
		assertEquals(c.get("message").get("enc").get("ciphertext").asText(), built.enc().ciphertext());
		if (event instanceof ChannelEvent ce && ce.keyHash() != null && !ce.keyHash().isBlank()) {
			// The vector's key is "hunter2"; the crypto service and ChannelIds must agree with it.
			assertEquals(ce.keyHash(), circle.channelKeyHash(ce.channelId(), "hunter2"));
			assertEquals(ce.keyHash(), ChannelIds.keyHash(circle.circleId(), ce.channelId(), "hunter2"));
		}
	}
}
