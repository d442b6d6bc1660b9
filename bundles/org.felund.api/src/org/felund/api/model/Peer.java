package org.felund.api.model;

/** A dialable peer record: {@code addr} is {@code host:port}; {@code lastSeen} in Unix seconds. */
public record Peer(String nodeId, String addr, long lastSeen) {
}
