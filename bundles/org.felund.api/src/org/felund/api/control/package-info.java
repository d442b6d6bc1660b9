/**
 * Control events (protocol §5) as values, and the service that sends and observes them. The wire form of these
 * values lives in {@code org.felund.protocol.control}.
 * <p>
 * Exported at version 0.2.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.api.control;
