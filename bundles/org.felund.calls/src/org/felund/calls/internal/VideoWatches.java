package org.felund.calls.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.felund.api.call.VideoSink;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;

/**
 * Who watches whose video, by node id: kept by the service, so that a view keeps its tiles when a connection is
 * replaced or the media restarts. Thread-safe.
 */
final class VideoWatches {
	private final Map<String, List<VideoSink>> sinks = new ConcurrentHashMap<>();

	/** The live list of sinks watching a node (connections deliver to it). */
	List<VideoSink> sinks(String nodeId) {
		return sinks.computeIfAbsent(nodeId, k -> new CopyOnWriteArrayList<>());
	}

	AutoCloseable watch(String nodeId, VideoSink sink) {
		List<VideoSink> list = sinks(nodeId);
		list.add(sink);
		return () -> list.remove(sink);
	}

	/** Shows this node's own video to those who watch {@code selfId}, until the returned handle is closed. */
	AutoCloseable attachLocal(String selfId, VideoTrack track) {
		List<VideoSink> list = sinks(selfId);
		VideoTrackSink adapter = frame -> {
			try {
				if (!list.isEmpty()) {
					I420Buffer i420 = frame.buffer.toI420();
					org.felund.api.call.VideoFrame view = PeerLink.view(frame, i420);
					for (VideoSink s : list) {
						s.frame(view);
					}
					if (i420 != frame.buffer) {
						i420.release();
					}
				}
			} catch (RuntimeException e) {
				System.getLogger(VideoWatches.class.getName()).log(System.Logger.Level.WARNING,
						"a preview sink failed: " + e);
			} finally {
				frame.release();
			}
		};
		track.addSink(adapter);
		return () -> track.removeSink(adapter);
	}
}
