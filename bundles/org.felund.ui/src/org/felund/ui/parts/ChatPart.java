package org.felund.ui.parts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.felund.api.model.ChatMessage;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.ui.internal.AuthorColors;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/** The messages of the selected channel and the composer. */
public class ChatPart {
	static final int PAGE = 200;
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy");

	@Inject
	private UISynchronize sync;

	private NodeService node;
	private ChannelRef current;
	private Label header;
	private StyledText messages;
	private Text composer;
	private final NodeListener listener = new NodeListener() {
		@Override
		public void messageAdded(ChatMessage message) {
			ChannelRef ref = current;
			if (ref != null && ref.circleId().equals(message.circleId())
					&& ref.channelId().equals(message.channelId())) {
				sync.asyncExec(ChatPart.this::reload);
			}
		}
	};

	@PostConstruct
	public void createControls(Composite parent) {
		parent.setLayout(new GridLayout(1, false));
		header = WidgetIds.tag(new Label(parent, SWT.NONE), "chat.header");
		header.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		messages = WidgetIds.tag(new StyledText(parent, SWT.BORDER | SWT.V_SCROLL | SWT.WRAP | SWT.READ_ONLY),
				"chat.messages");
		messages.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		composer = WidgetIds.tag(new Text(parent, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL),
				"chat.composer");
		GridData composerData = new GridData(SWT.FILL, SWT.END, true, false);
		composerData.heightHint = 3 * composer.getLineHeight();
		composer.setLayoutData(composerData);
		composer.setMessage("Write a message — Enter sends, Shift+Enter adds a line");
		composer.addListener(SWT.KeyDown, e -> {
			boolean enter = e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR;
			if (enter && (e.stateMask & SWT.SHIFT) == 0) {
				e.doit = false;
				send();
			}
		});
		reload();
	}

	@Inject
	@Optional
	void setNode(@Service NodeService service) {
		if (node == service) {
			return;
		}
		if (node != null) {
			node.removeListener(listener);
		}
		node = service;
		if (node != null) {
			node.addListener(listener);
		}
		if (messages != null) {
			sync.asyncExec(this::reload);
		}
	}

	@Inject
	@Optional
	void setChannel(ChannelRef ref) {
		current = ref;
		if (messages != null) {
			reload();
		}
	}

	private void send() {
		String text = composer.getText().strip();
		if (text.isEmpty() || node == null || current == null) {
			return;
		}
		try {
			node.send(current.circleId(), current.channelId(), text);
			composer.setText("");
		} catch (RuntimeException e) {
			header.setText("Not sent: " + e.getMessage());
		}
	}

	private void reload() {
		if (messages == null || messages.isDisposed()) {
			return;
		}
		boolean ready = node != null && current != null;
		composer.setEnabled(ready);
		if (node == null) {
			header.setText("The node is starting…");
			messages.setText("");
			return;
		}
		if (current == null) {
			header.setText(node.circles().isEmpty() ? "Create a circle or join one with an invite code"
					: "Select a circle or channel");
			messages.setText("");
			return;
		}
		String circleLabel = node.circle(current.circleId()).map(c -> c.label()).orElse(current.circleId());
		header.setText(circleLabel + "  #" + current.channelId());
		List<ChatMessage> page = new ArrayList<>(node.history(current.circleId(), current.channelId(), null, PAGE));
		java.util.Collections.reverse(page);
		render(page);
	}

	private void render(List<ChatMessage> page) {
		StringBuilder text = new StringBuilder();
		List<StyleRange> styles = new ArrayList<>();
		String self = node.identity().nodeId();
		LocalDate lastDay = null;
		ZoneId zone = ZoneId.systemDefault();
		for (ChatMessage m : page) {
			var when = Instant.ofEpochSecond(m.createdTs()).atZone(zone);
			if (!when.toLocalDate().equals(lastDay)) {
				lastDay = when.toLocalDate();
				int start = text.length();
				text.append("── ").append(DAY.format(when)).append(" ──\n");
				StyleRange day = new StyleRange(start, text.length() - start, null, null, SWT.ITALIC);
				styles.add(day);
			}
			text.append(TIME.format(when)).append("  ");
			int nameStart = text.length();
			String name = m.displayName().isBlank() ? m.authorNodeId() : m.displayName();
			text.append(name).append(self.equals(m.authorNodeId()) ? " (you)" : "");
			StyleRange nameStyle = new StyleRange(nameStart, text.length() - nameStart,
					new Color(AuthorColors.of(m.authorNodeId())), null, SWT.BOLD);
			styles.add(nameStyle);
			text.append(": ").append(m.text()).append('\n');
		}
		messages.setText(text.toString());
		messages.setStyleRanges(styles.toArray(StyleRange[]::new));
		messages.setTopIndex(Math.max(0, messages.getLineCount() - 1));
	}

	@Focus
	public void setFocus() {
		composer.setFocus();
	}

	@PreDestroy
	public void dispose() {
		if (node != null) {
			node.removeListener(listener);
		}
	}
}
