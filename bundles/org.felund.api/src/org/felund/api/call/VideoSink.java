package org.felund.api.call;

/**
 * Receives the decoded frames of one peer's video (or of this node's own camera, as a preview). Called on a media
 * thread, once per frame: convert what you need and return quickly, a slow sink delays that peer's video.
 */
@FunctionalInterface
public interface VideoSink {
	void frame(VideoFrame frame);
}
