package org.felund.transport.gossip.internal;

import org.felund.api.transport.ReceiveResult;
import org.felund.transport.gossip.SyncReport;

/** What one session counted, for its {@link SyncReport}. Confined to the session's thread. */
final class SessionStats {
	private int stored;
	private int duplicates;
	private int rejected;
	private int sent;
	private long bytesIn;
	private int lastLineBytes;
	private long bytesOut;
	private int reconFrames;
	private long reconBytes;

	void lineIn(int bytes) {
		bytesIn += bytes;
		lastLineBytes = bytes;
	}

	void lineOut(int bytes, boolean reconFrame) {
		bytesOut += bytes;
		if (reconFrame) {
			reconFrames++;
			reconBytes += bytes;
		}
	}

	/** The line just received was an {@code X_RECON} frame. */
	void reconFrameIn() {
		reconFrames++;
		reconBytes += lastLineBytes;
	}

	void received(ReceiveResult r) {
		switch (r) {
		case STORED -> stored++;
		case DUPLICATE -> duplicates++;
		case REJECTED -> rejected++;
		}
	}

	void rejected() {
		rejected++;
	}

	void sent(int messages) {
		sent += messages;
	}

	SyncReport report(String circleId, String address, String peerNodeId, boolean extended, boolean live, String error) {
		return new SyncReport(circleId, address, peerNodeId, extended, live, stored, duplicates, rejected, sent, bytesIn,
				bytesOut, reconFrames, reconBytes, error);
	}
}
