package org.felund.plugins;

/**
 * What a plugin's feature says about itself.
 *
 * @param id the feature id, e.g. {@code org.felund.transport.relay.feature}
 * @param version its version
 * @param name its label, for people
 * @param description what it does
 * @param provider who made it
 * @param category the site category it is listed in, or empty
 */
public record Plugin(String id, String version, String name, String description, String provider, String category) {
}
