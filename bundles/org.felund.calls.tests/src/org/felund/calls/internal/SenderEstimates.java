package org.felund.calls.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.felund.api.call.PeerMedia;
import org.felund.webrtc.RtcStats;

/**
 * For tests: what the congestion controller and the video encoder of each connection aim at (from the last getStats
 * report), figures the service's statistics do not show.
 */
public final class SenderEstimates {
	private SenderEstimates() {
	}

	/** Per peer node id: {@code available_kbps} (the sender's bandwidth estimate) and {@code target_kbps}. */
	public static Map<String, Map<String, Object>> of(CallsEngine engine) {
		return engine.onCallsThread(() -> {
			Map<String, Map<String, Object>> out = new LinkedHashMap<>();
			CallMedia media = engine.media();
			if (media == null) {
				return out;
			}
			for (PeerMedia p : media.peers()) {
				PeerLink link = media.link(p.nodeId());
				if (link != null) {
					RtcStats s = link.rawStats();
					Map<String, Object> m = new LinkedHashMap<>();
					m.put("available_kbps", Math.round(s.availableOutgoingKbps()));
					m.put("target_kbps", Math.round(s.videoOut().targetKbps()));
					out.put(p.nodeId(), m);
				}
			}
			return out;
		});
	}
}
