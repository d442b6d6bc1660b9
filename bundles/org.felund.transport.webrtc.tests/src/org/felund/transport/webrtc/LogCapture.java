package org.felund.transport.webrtc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what one logger writes (System.Logger goes to java.util.logging outside OSGi). */
final class LogCapture extends Handler implements AutoCloseable {
	final List<String> lines = new CopyOnWriteArrayList<>();
	private final Logger logger;

	LogCapture(String loggerName) {
		logger = Logger.getLogger(loggerName);
		logger.addHandler(this);
		setLevel(Level.ALL);
	}

	boolean contains(String text) {
		return lines.stream().anyMatch(l -> l.contains(text));
	}

	@Override
	public void publish(LogRecord record) {
		lines.add(record.getLevel() + " " + record.getMessage());
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
		logger.removeHandler(this);
	}
}
