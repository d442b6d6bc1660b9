package org.felund.relay.server.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files only their owner may read: the relay database (signing keys, presence with addresses, ciphertext), its
 * WAL and shared-memory files, and the key file. Directories the relay creates are {@code 700}, files {@code 600};
 * an existing database file that others may read is tightened on start. On file systems without POSIX
 * permissions these are no-ops.
 */
public final class FilePermissions {
	static final Set<PosixFilePermission> OWNER_FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
			PosixFilePermission.OWNER_WRITE);
	static final Set<PosixFilePermission> OWNER_DIR = EnumSet.of(PosixFilePermission.OWNER_READ,
			PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

	private FilePermissions() {
	}

	private static boolean posix(Path p) {
		return p.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

	/** Creates missing directories with mode 700 (existing ones are left as they are). */
	public static void createPrivateDirectories(Path dir) throws IOException {
		Path abs = dir.toAbsolutePath();
		if (Files.isDirectory(abs)) {
			return;
		}
		if (!posix(abs)) {
			Files.createDirectories(abs);
			return;
		}
		List<Path> missing = new ArrayList<>();
		for (Path p = abs; p != null && !Files.exists(p); p = p.getParent()) {
			missing.add(0, p);
		}
		FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_DIR);
		for (Path p : missing) {
			try {
				Files.createDirectory(p, mode);
			} catch (FileAlreadyExistsException raced) {
				// another process made it meanwhile
			}
		}
	}

	/** Creates an empty file with mode 600 when it does not exist (SQLite then gives its WAL and SHM the same mode). */
	public static void createPrivateFile(Path file) throws IOException {
		if (Files.exists(file)) {
			return;
		}
		try {
			if (posix(file)) {
				Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
			} else {
				Files.createFile(file);
			}
		} catch (FileAlreadyExistsException raced) {
			// created meanwhile: tightened by the caller
		}
	}

	/** Writes a new file with mode 600 from its creation on (no moment in which others could open it). */
	static void writePrivate(Path file, byte[] content, OpenOption... options) throws IOException {
		if (posix(file)) {
			try (OutputStream out = Files.newOutputStream(
					Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE)))) {
				out.write(content);
			}
		} else {
			Files.write(file, content, options);
		}
	}

	/** Removes group and other permissions from an existing file (or directory). */
	public static void restrictToOwner(Path path) throws IOException {
		if (!Files.exists(path) || !posix(path)) {
			return;
		}
		PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
		Set<PosixFilePermission> current = view.readAttributes().permissions();
		Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
		for (PosixFilePermission p : current) {
			if (p.name().startsWith("OWNER_")) {
				owner.add(p);
			}
		}
		if (!owner.equals(current)) {
			view.setPermissions(owner);
		}
	}

	/**
	 * Prepares a SQLite database file: its directory (700 when created), the file itself (600), and tightens an
	 * existing file and its {@code -wal}, {@code -shm} and {@code -journal} siblings that others could read.
	 */
	public static void prepareDatabaseFile(Path file) throws IOException {
		Path abs = file.toAbsolutePath();
		Path parent = abs.getParent();
		if (parent != null) {
			createPrivateDirectories(parent);
		}
		createPrivateFile(abs);
		for (String suffix : new String[] { "", "-wal", "-shm", "-journal" }) {
			restrictToOwner(Path.of(abs + suffix));
		}
	}
}
