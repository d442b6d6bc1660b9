package org.felund.transport.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.felund.protocol.wire.Json;
import org.felund.testsupport.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class FrameLimitsTest {
	static Stream<Arguments> cases() {
		return Vectors.cases("frame_limits.json").stream().map(c -> Arguments.of(c.get("desc").asText(), c));
	}

	@Test
	void largestEncryptedPlaintextMatchesTheReferenceWriter() {
		JsonNode limits = Vectors.file("frame_limits.json").get("limits");
		assertEquals(limits.get("max_encrypted_plaintext_bytes_sender").asInt(), FrameLimits.maxJsonBytes(true));
		assertEquals(16_383, FrameLimits.maxJsonBytes(false));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void msgsHaveFrameSizesAndWriterDecisionsMatchTheReference(String desc, JsonNode c) {
		int n = c.get("ids").asInt();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			ids.add(String.format("%032x", i));
		}
		String circleId = "630dcd2966c4336691125448";
		ObjectNode frame = Frames.frame(Frames.MSGS_HAVE);
		frame.put("circle_id", circleId);
		ArrayNode list = frame.putArray("msg_ids");
		ids.forEach(list::add);
		int bytes = Json.ascii(frame).length();
		assertEquals(c.get("plaintext_bytes").asInt(), bytes);
		assertEquals(bytes, SyncPlanner.idListFrameBytes(Frames.MSGS_HAVE, circleId, ids));
		assertEquals(c.get("encrypted_line_bytes_incl_newline").asInt(), FrameLimits.encryptedLineLength(bytes));
		assertEquals(c.get("plaintext_line_bytes_incl_newline").asInt(), bytes + 1);
		assertEquals(c.get("reference_sender_accepts_encrypted").asBoolean(), FrameLimits.fits(bytes, true));
		assertEquals(c.get("reference_sender_accepts_plaintext").asBoolean(), FrameLimits.fits(bytes, false));
	}

	@Test
	void encodingRefusesFramesTheReferenceWouldNotSend() {
		SessionCodec codec = new SessionCodec();
		ObjectNode frame = Frames.frame(Frames.MSGS_HAVE);
		frame.put("pad", "x".repeat(16_384));
		org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> codec.encode(frame));
	}
}
