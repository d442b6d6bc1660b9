/**
 * The anchor policy with the reference's ranking (protocol §6.1), built without OSGi by tests and embedders. Its DS
 * component (configuration PID {@code org.felund.anchor}) is internal.
 */
package org.felund.anchor;
