package org.felund.ui.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Display;

/** How the transcript's styled spans look in the chat's StyledText, readable in the light and in the dark theme. */
public final class TranscriptStyles {
	private TranscriptStyles() {
	}

	/** The grey of times, day dividers and system lines. */
	public static Color muted(Display display, boolean dark) {
		// GTK's shadow grey is too dark to read on the dark theme's background
		return dark ? new Color(Theme.pathText(true)) : display.getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW);
	}

	/** The style ranges of the spans, in the order of the spans; links carry their address as {@code data}. */
	public static List<StyleRange> of(List<ChatTranscript.Span> spans, Display display, boolean dark) {
		Color muted = muted(display, dark);
		Color local = new Color(Theme.localText(dark));
		Color ownBackground = new Color(Theme.ownBackground(dark));
		Color sent = new Color(Theme.sent(dark));
		Color delivered = new Color(Theme.delivered(dark));
		Color path = new Color(Theme.pathText(dark));
		List<StyleRange> styles = new ArrayList<>();
		for (ChatTranscript.Span s : spans) {
			StyleRange range = new StyleRange();
			range.start = s.start();
			range.length = s.length();
			switch (s.style()) {
			case DAY -> {
				range.foreground = muted;
				range.fontStyle = SWT.ITALIC;
			}
			case TIME -> range.foreground = muted;
			case AUTHOR -> {
				range.foreground = new Color(AuthorColors.of(s.authorNodeId(), dark));
				range.fontStyle = SWT.BOLD;
			}
			case OWN_AUTHOR -> {
				range.foreground = new Color(AuthorColors.of(s.authorNodeId(), dark));
				range.background = ownBackground;
				range.fontStyle = SWT.BOLD;
			}
			case NOTE -> {
				range.foreground = muted;
				range.fontStyle = SWT.ITALIC;
			}
			case LOCAL -> {
				range.foreground = local;
				range.font = JFaceResources.getTextFont();
			}
			case LINK -> {
				range.foreground = display.getSystemColor(SWT.COLOR_LINK_FOREGROUND);
				range.underline = true;
				range.underlineStyle = SWT.UNDERLINE_LINK;
				range.data = s.data();
			}
			case MARKER -> {
				range.foreground = display.getSystemColor(SWT.COLOR_RED);
				range.fontStyle = SWT.BOLD;
			}
			case SENT -> range.foreground = sent;
			case DELIVERED -> {
				range.foreground = delivered;
				range.fontStyle = SWT.BOLD;
			}
			case PATH -> {
				range.foreground = path;
				range.fontStyle = SWT.ITALIC;
			}
			}
			styles.add(range);
		}
		return styles;
	}
}
