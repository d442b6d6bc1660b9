package org.felund.ui.dialogs;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.felund.ui.internal.MessageIndex;
import org.felund.ui.internal.MessageIndex.Hit;
import org.felund.ui.internal.WidgetIds;

/**
 * Ctrl+F: searches every circle's messages as you type (the in-memory index); Enter or a double click shows the
 * message in its channel.
 */
public final class SearchDialog extends Dialog {
	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH)
			.withZone(ZoneId.systemDefault());
	private static final int LIMIT = 200;
	/** Typing pauses this long before the search runs. */
	private static final int DELAY_MS = 150;

	private final MessageIndex index;
	private final Function<String, String> circleLabel;
	private final Consumer<Hit> reveal;
	private Text query;
	private Table results;
	private Label status;
	private List<Hit> hits = List.of();
	private int generation;

	/**
	 * @param circleLabel the label of a circle id, for the "where" column
	 * @param reveal shows a hit in the chat
	 */
	public SearchDialog(Shell parent, MessageIndex index, Function<String, String> circleLabel, Consumer<Hit> reveal) {
		super(parent);
		this.index = index;
		this.circleLabel = circleLabel;
		this.reveal = reveal;
		setShellStyle(SWT.DIALOG_TRIM | SWT.RESIZE | SWT.MODELESS);
		setBlockOnOpen(false);
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Search messages");
		WidgetIds.tag(shell, "search.dialog");
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite area = (Composite) super.createDialogArea(parent);
		area.setLayout(new GridLayout(1, false));
		query = WidgetIds.tag(new Text(area, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL), "search.query");
		query.setMessage("Words to find in your circles' messages");
		query.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		query.addListener(SWT.Modify, e -> {
			int mine = ++generation;
			getShell().getDisplay().timerExec(DELAY_MS, () -> {
				if (mine == generation && !results.isDisposed()) {
					search();
				}
			});
		});
		results = WidgetIds.tag(new Table(area, SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.BORDER),
				"search.results");
		results.setHeaderVisible(true);
		GridData tableData = new GridData(SWT.FILL, SWT.FILL, true, true);
		tableData.widthHint = 720;
		tableData.heightHint = 320;
		results.setLayoutData(tableData);
		String[] titles = { "When", "Where", "Who", "Message" };
		int[] widths = { 130, 160, 100, 320 };
		for (int i = 0; i < titles.length; i++) {
			TableColumn c = new TableColumn(results, SWT.LEFT);
			c.setText(titles[i]);
			c.setWidth(widths[i]);
		}
		results.addListener(SWT.DefaultSelection, e -> openSelected());
		status = WidgetIds.tag(new Label(area, SWT.NONE), "search.status");
		status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		status.setText(index.size() + " messages searchable. Only this window's memory holds the index.");
		return area;
	}

	@Override
	protected void createButtonsForButtonBar(Composite parent) {
		WidgetIds.tag(createButton(parent, IDialogConstants.OPEN_ID, "&Show in chat", true), "search.open");
		createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, false);
	}

	@Override
	protected void buttonPressed(int buttonId) {
		if (buttonId == IDialogConstants.OPEN_ID) {
			openSelected();
		} else if (buttonId == IDialogConstants.CLOSE_ID) {
			close();
		} else {
			super.buttonPressed(buttonId);
		}
	}

	/** Runs the query now (the dialog does it by itself shortly after typing stops). */
	public void search() {
		results.removeAll();
		String q = query.getText();
		hits = q.isBlank() ? List.of() : index.search(q, LIMIT);
		for (Hit h : hits) {
			TableItem item = new TableItem(results, SWT.NONE);
			item.setText(0, WHEN.format(Instant.ofEpochSecond(h.createdTs())));
			item.setText(1, circleLabel.apply(h.circleId()) + "  #" + h.channelId());
			item.setText(2, h.authorName());
			item.setText(3, h.snippet().replace('\n', ' '));
		}
		if (!hits.isEmpty()) {
			results.setSelection(0);
		}
		status.setText(q.isBlank() ? index.size() + " messages searchable."
				: hits.size() + (hits.size() == LIMIT ? "+" : "") + " found");
	}

	private void openSelected() {
		// Enter can reach both the table and the default button; the first one closes the dialog.
		if (results == null || results.isDisposed()) {
			return;
		}
		int i = results.getSelectionIndex();
		if (i < 0 || i >= hits.size()) {
			return;
		}
		Hit hit = hits.get(i);
		close();
		reveal.accept(hit);
	}
}
