package org.felund.store.sqlite.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

import org.felund.api.store.StoreException;

/**
 * Keeps a node home private to its owner: the home and its directories 0700, the database with its WAL and
 * shared-memory files 0600 (they hold circle ids, hints, member ids, peer addresses and MACs), whatever the umask or
 * an earlier {@code mkdir -p} left. Configuration Admin's directory in the home ({@code config/}, the products'
 * {@code felix.cm.dir}) is tightened too. Only what this user owns is changed; elsewhere (non-POSIX file systems)
 * nothing is done.
 */
public final class HomePermissions {
	private static final Logger LOG = Logger.getLogger(HomePermissions.class.getName());
	public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
	public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
	/** Configuration Admin's directory inside the home, as the launch scripts set {@code felix.cm.dir}. */
	public static final String CONFIG_DIR = "config";
	/** SQLite's companions of a WAL-mode database. */
	private static final String[] DATABASE_COMPANIONS = { "-wal", "-shm", "-journal" };

	private HomePermissions() {
	}

	/** Creates the home 0700, or takes group and other access away from an existing one. */
	public static void privateHome(Path dir) {
		try {
			if (!Files.isDirectory(dir)) {
				Path parent = dir.getParent();
				if (parent != null && isPosix(parent)) {
					Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
				} else {
					Files.createDirectories(dir);
				}
			}
			restrict(dir, OWNER_DIR);
		} catch (IOException e) {
			throw new StoreException("Cannot create the node home " + dir + ": " + e, e);
		}
	}

	/**
	 * Before SQLite opens {@code db}: creates it empty with 0600 when missing (SQLite gives its WAL and shared-memory
	 * files the database file's mode), and restricts an existing file and its companions.
	 */
	public static void privateDatabase(Path db) {
		try {
			if (!Files.exists(db, LinkOption.NOFOLLOW_LINKS) && isPosix(db.getParent())) {
				try {
					Files.createFile(db, PosixFilePermissions.asFileAttribute(OWNER_FILE));
				} catch (FileAlreadyExistsException e) {
					// Another process created it first.
				}
			}
			restrictDatabaseFiles(db);
		} catch (IOException e) {
			throw new StoreException("Cannot restrict the database " + db + " to its owner: " + e, e);
		}
	}

	/** Restricts the database and its companions as they are now (after open, the WAL and SHM exist). */
	public static void restrictDatabaseFiles(Path db) throws IOException {
		restrict(db, OWNER_FILE);
		for (String suffix : DATABASE_COMPANIONS) {
			restrict(db.resolveSibling(db.getFileName() + suffix), OWNER_FILE);
		}
	}

	/** Restricts Configuration Admin's directory in the home (0700) and the files in it (0600), if it exists. */
	public static void privateConfig(Path home) {
		Path config = home.resolve(CONFIG_DIR);
		if (!Files.isDirectory(config, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try {
			restrictTree(config);
		} catch (IOException e) {
			LOG.warning("Cannot restrict " + config + " to its owner: " + e);
		}
	}

	private static void restrictTree(Path dir) throws IOException {
		restrict(dir, OWNER_DIR);
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path p : entries) {
				if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
					restrictTree(p);
				} else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
					restrict(p, OWNER_FILE);
				}
			}
		}
	}

	/** Takes away every permission beyond {@code allowed} from a file this user owns; leaves others' files alone. */
	private static void restrict(Path p, Set<PosixFilePermission> allowed) throws IOException {
		if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || !isPosix(p)) {
			return;
		}
		PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
		Set<PosixFilePermission> now = view.readAttributes().permissions();
		if (allowed.containsAll(now)) {
			return;
		}
		now.retainAll(allowed);
		try {
			view.setPermissions(now);
		} catch (IOException e) {
			// Not ours (another user's home we may read): leave it as its owner set it.
			LOG.warning("Cannot restrict " + p + " to its owner: " + e);
		}
	}

	private static boolean isPosix(Path p) {
		return p != null && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
	}
}
