package org.felund.ui.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.program.Program;

/**
 * The links in the chat's text (style ranges whose {@code data} is the address, {@link TranscriptStyles}): the hand
 * over them, and a click (without a selection being made) opens them.
 */
public final class ChatLinks {
	private ChatLinks() {
	}

	public static void install(StyledText text) {
		text.addListener(SWT.MouseUp, e -> {
			if (e.button != 1 || text.getSelectionCount() > 0) {
				return;
			}
			String address = at(text, e.x, e.y);
			if (address != null) {
				Program.launch(address);
			}
		});
		text.addListener(SWT.MouseMove, e -> text.setCursor(at(text, e.x, e.y) == null ? null
				: text.getDisplay().getSystemCursor(SWT.CURSOR_HAND)));
	}

	/** The address of the link under a point of the text, or null. */
	public static String at(StyledText text, int x, int y) {
		int offset = offsetAt(text, x, y);
		return offset < 0 ? null : atOffset(text, offset);
	}

	/** The address of the link at a character offset, or null. */
	public static String atOffset(StyledText text, int offset) {
		StyleRange range = offset < text.getCharCount() ? text.getStyleRangeAtOffset(offset) : null;
		return range != null && range.data instanceof String address ? address : null;
	}

	/** The character offset under a point of the text, or -1 where there is no character. */
	public static int offsetAt(StyledText text, int x, int y) {
		try {
			return text.getOffsetAtPoint(new Point(x, y));
		} catch (IllegalArgumentException outside) {
			return -1;
		}
	}
}
