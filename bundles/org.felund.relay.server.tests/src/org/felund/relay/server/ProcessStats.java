package org.felund.relay.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What Linux reports about a process: resident memory, threads and open file descriptors ({@code /proc}). */
record ProcessStats(long rssKib, int threads, int fds) {

	static ProcessStats of(long pid) throws IOException {
		long rss = 0;
		int threads = 0;
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
			} else if (line.startsWith("Threads:")) {
				threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
			}
		}
		int fds;
		try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			fds = (int) s.count();
		}
		return new ProcessStats(rss, threads, fds);
	}

	long rssMib() {
		return rssKib / 1024;
	}
}
