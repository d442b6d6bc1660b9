/**
 * The SQLite store of a Felund node home, usable without OSGi: {@link org.felund.store.sqlite.SqliteNodeStore}
 * opens {@code <home>/felund.db} and gives the message, circle and secret stores.
 * <p>
 * Exported at version 0.1.0 (see MANIFEST.MF); minor versions add methods, major versions break them.
 */
package org.felund.store.sqlite;
