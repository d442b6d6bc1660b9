package org.felund.ui.parts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.eclipse.jface.bindings.keys.KeyStroke;
import org.eclipse.jface.fieldassist.ContentProposal;
import org.eclipse.jface.fieldassist.ContentProposalAdapter;
import org.eclipse.jface.fieldassist.IContentProposal;
import org.eclipse.jface.fieldassist.TextContentAdapter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Text;
import org.felund.ui.contrib.ChatCommand;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.Drafts;
import org.felund.ui.internal.SlashCommands;
import org.felund.ui.internal.WidgetIds;

/**
 * The chat's composer: Enter sends, Shift+Enter adds a line; a leading / offers the slash commands (Tab completes,
 * Enter or a click in the popup completes a command's words without losing the arguments typed after them, or runs it
 * once complete). What is typed is kept as the draft of the channel shown.
 */
final class ChatComposer {
	private final Text text;
	private final ContentProposalAdapter proposals;
	private final Supplier<List<ChatCommand>> contributions;
	private final Runnable send;
	private Drafts drafts;
	/** The channel whose draft the text is. */
	private ChannelRef channel;

	/**
	 * @param contributions the plugins' slash commands, as they are now
	 * @param send sends (or runs) what is typed
	 */
	ChatComposer(Composite parent, Supplier<List<ChatCommand>> contributions, Runnable send) {
		this.contributions = contributions;
		this.send = send;
		text = WidgetIds.tag(new Text(parent, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL), "chat.composer");
		GridData layout = new GridData(SWT.FILL, SWT.END, true, false);
		layout.heightHint = 3 * text.getLineHeight();
		text.setLayoutData(layout);
		text.setMessage("Write a message \u2014 Enter sends, Shift+Enter adds a line, /help lists commands");
		text.addListener(SWT.KeyDown, this::key);
		text.addListener(SWT.Modify, e -> {
			if (drafts != null && channel != null && text.isEnabled()) {
				drafts.put(channel, text.getText());
			}
		});
		text.addListener(SWT.Traverse, e -> {
			if (e.detail == SWT.TRAVERSE_TAB_NEXT && SlashCommands.isCommand(text.getText())) {
				e.doit = false;
				e.detail = SWT.TRAVERSE_NONE;
			}
		});
		proposals = new ContentProposalAdapter(text, new TextContentAdapter(), (contents, position) -> {
			List<IContentProposal> out = new ArrayList<>();
			for (SlashCommands.Command c : SlashCommands.proposals(contents.substring(0, position),
					SlashCommands.available(contributions.get()))) {
				out.add(new CommandProposal(c));
			}
			return out.toArray(IContentProposal[]::new);
		}, KeyStroke.getInstance(SWT.CTRL, ' '), new char[] { '/' });
		// The adapter would replace the whole text with the proposal and lose the arguments typed after it.
		proposals.setProposalAcceptanceStyle(ContentProposalAdapter.PROPOSAL_IGNORE);
		proposals.addContentProposalListener(p -> {
			if (p instanceof CommandProposal c) {
				accept(c.command);
			}
		});
	}

	/** A completion of the composer: the command it completes. */
	private static final class CommandProposal extends ContentProposal {
		final SlashCommands.Command command;

		CommandProposal(SlashCommands.Command command) {
			super(command.words() + " ", command.usage(), command.description());
			this.command = command;
		}
	}

	void setDrafts(Drafts d) {
		drafts = d;
	}

	/** Shows the draft of a channel (empty without one), leaving the draft of the channel shown before as it was. */
	void showDraftOf(ChannelRef ref, boolean enabled) {
		channel = ref;
		text.setEnabled(enabled);
		String draft = drafts == null ? "" : drafts.get(ref);
		if (!text.getText().equals(draft)) {
			text.setEnabled(false); // the Modify listener keeps the draft of the channel shown, not this one
			text.setText(draft);
			text.setSelection(draft.length());
			text.setEnabled(enabled);
		}
	}

	String text() {
		return text.getText();
	}

	void clear() {
		text.setText("");
	}

	boolean isEnabled() {
		return text.isEnabled();
	}

	void setEnabled(boolean enabled) {
		text.setEnabled(enabled);
	}

	void setFocus() {
		text.setFocus();
	}

	/** Enter or a click in the popup: completes the command's words; with the words all typed, runs it. */
	private void accept(SlashCommands.Command command) {
		String typed = text.getText();
		boolean bare = typed.strip().equalsIgnoreCase(command.words());
		if (bare ? command.arguments().isEmpty() : SlashCommands.isComplete(typed, command)) {
			send.run();
			return;
		}
		replace(SlashCommands.accept(typed, command));
	}

	private void key(Event e) {
		boolean enter = e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR;
		if (enter && (e.stateMask & SWT.SHIFT) == 0) {
			if (proposals.isProposalPopupOpen()) {
				return; // Enter accepts the proposal
			}
			e.doit = false;
			send.run();
		} else if (e.character == '\t' && SlashCommands.isCommand(text.getText())) {
			e.doit = false;
			replace(SlashCommands.complete(text.getText(), SlashCommands.available(contributions.get())));
		}
	}

	private void replace(String completed) {
		text.setText(completed);
		text.setSelection(completed.length());
	}
}
