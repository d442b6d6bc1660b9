package org.felund.api.node;

/**
 * How much of a circle's or a channel's history this computer keeps: a local choice, never sent to anyone. Both
 * limits may be set; a message goes when it breaks either. Nothing is deleted by default ({@link #KEEP_ALL}).
 *
 * @param maxAgeDays messages older than this many days (by {@code created_ts}) are deleted; 0 = no age limit
 * @param maxMessages only the newest this many messages of each channel are kept; 0 = no count limit
 */
public record Retention(int maxAgeDays, int maxMessages) {
	/** Everything is kept. */
	public static final Retention KEEP_ALL = new Retention(0, 0);
	/** Longest age limit: 100 years. */
	public static final int MAX_DAYS = 36_500;

	public Retention {
		if (maxAgeDays < 0 || maxAgeDays > MAX_DAYS) {
			throw new IllegalArgumentException("Keep messages for 1 to " + MAX_DAYS + " days (0: no age limit), not "
					+ maxAgeDays);
		}
		if (maxMessages < 0) {
			throw new IllegalArgumentException("The number of messages to keep cannot be negative: " + maxMessages);
		}
	}

	public static Retention days(int days) {
		return new Retention(days, 0);
	}

	public static Retention messages(int count) {
		return new Retention(0, count);
	}

	public boolean keepsAll() {
		return maxAgeDays == 0 && maxMessages == 0;
	}

	/** "everything", "30 days", "the newest 1000 messages", "30 days, at most the newest 1000 messages". */
	public String describe() {
		if (keepsAll()) {
			return "everything";
		}
		String age = maxAgeDays == 0 ? "" : maxAgeDays + (maxAgeDays == 1 ? " day" : " days");
		String count = maxMessages == 0 ? ""
				: "the newest " + maxMessages + (maxMessages == 1 ? " message" : " messages");
		return age.isEmpty() ? count : count.isEmpty() ? age : age + ", at most " + count;
	}
}
