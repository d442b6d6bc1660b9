package org.felund.ui.internal;

import java.util.Objects;
import java.util.function.Supplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;

/** Over a message of yours in the chat's text, the tooltip tells its delivery state and path. */
public final class DeliveryTooltip {
	private DeliveryTooltip() {
	}

	/**
	 * @param transcript the transcript shown (may give null)
	 * @param rendered its rendering now in {@code text} (may give null)
	 */
	public static void install(StyledText text, Supplier<ChatTranscript> transcript,
			Supplier<ChatTranscript.Rendered> rendered) {
		text.addListener(SWT.MouseMove, e -> {
			String tip = tipAt(text, e.x, e.y, transcript.get(), rendered.get());
			if (!Objects.equals(tip, text.getToolTipText())) {
				text.setToolTipText(tip);
			}
		});
	}

	private static String tipAt(StyledText text, int x, int y, ChatTranscript transcript,
			ChatTranscript.Rendered rendered) {
		if (rendered == null || transcript == null) {
			return null;
		}
		int offset = ChatLinks.offsetAt(text, x, y);
		ChatTranscript.Entry entry = offset < 0 ? null : rendered.entryAt(offset).orElse(null);
		return entry != null && entry.kind() == ChatTranscript.Kind.MESSAGE
				? transcript.deliveryTooltip(entry.key().msgId())
				: null;
	}
}
