/**
 * The anchor plugin's embedding classes, built without OSGi by tests and embedders: the deterministic anchor election
 * ({@link org.felund.anchor.RankedAnchorPolicy}) and the persisted ciphertext store
 * ({@link org.felund.anchor.SqliteAnchorStore}). Its DS components (configuration PID {@code org.felund.anchor}) are
 * internal.
 */
package org.felund.anchor;
