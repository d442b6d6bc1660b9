package org.felund.store.sqlite.internal;

import java.util.List;
import java.util.Objects;

import org.felund.api.store.StoreException;

/**
 * Brings a database to the newest schema by running ordered steps. The schema version is SQLite's
 * {@code PRAGMA user_version} (0 in a new file), so it changes atomically with the step's DDL. Every step runs
 * in its own {@code BEGIN IMMEDIATE} transaction and re-reads the version inside it, so two processes opening
 * the same home at once never run a step twice. A file written by a newer Felund is refused, never touched.
 */
public final class Migrations {
	private final List<Step> steps;

	/** @param steps versions 1, 2, 3, … in order, without gaps */
	public Migrations(List<Step> steps) {
		for (int i = 0; i < steps.size(); i++) {
			if (steps.get(i).version() != i + 1) {
				throw new IllegalArgumentException("Migration steps must be numbered 1, 2, 3, … without gaps; step "
						+ (i + 1) + " is numbered " + steps.get(i).version());
			}
		}
		this.steps = List.copyOf(steps);
	}

	/** The schema version this code writes. */
	public int latest() {
		return steps.size();
	}

	public static int version(Database db) {
		return db.read("reading the schema version", s -> (int) s.queryLong("PRAGMA user_version"));
	}

	/**
	 * The file's schema version, after checking that this code can work with it.
	 *
	 * @throws StoreException when the file was written by a newer Felund (the file is not changed)
	 */
	public int requireSupported(Database db) {
		int found = version(db);
		refuseNewer(db, found);
		return found;
	}

	/** Runs the missing steps; returns the version the file had before. */
	public int migrate(Database db) {
		int found = requireSupported(db);
		for (Step step : steps) {
			if (step.version() <= found) {
				continue;
			}
			db.durableTransaction("migrating the schema to version " + step.version() + " (" + step.description() + ")",
					s -> {
						int now = (int) s.queryLong("PRAGMA user_version");
						refuseNewer(db, now);
						if (now >= step.version()) {
							return null; // another process got here first
						}
						if (now != step.version() - 1) {
							throw new StoreException("The schema of " + db.file() + " is at version " + now
									+ " but migration " + step.version() + " expects version " + (step.version() - 1));
						}
						for (String sql : step.statements()) {
							s.execute(sql);
						}
						s.execute("PRAGMA user_version=" + step.version());
						return null;
					});
		}
		return found;
	}

	private void refuseNewer(Database db, int found) {
		if (found > latest()) {
			throw new StoreException("The database " + db.file() + " has schema version " + found
					+ ", newer than this Felund understands (up to version " + latest()
					+ "). It was written by a newer Felund; upgrade Felund to open it. The file was not changed.");
		}
		if (found < 0) {
			throw new StoreException("The database " + db.file() + " has an invalid schema version " + found
					+ "; it is not a Felund database. The file was not changed.");
		}
	}

	/** One schema change: SQL statements run in order, in one transaction. */
	public record Step(int version, String description, List<String> statements) {
		public Step {
			Objects.requireNonNull(description, "description");
			statements = List.copyOf(statements);
		}
	}
}
