package org.felund.ui.dialogs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.node.NodeService;
import org.felund.api.node.Retention;
import org.felund.ui.internal.Labels;
import org.felund.ui.internal.WidgetIds;

/**
 * What this computer keeps of each circle's and channel's history. Everything, unless the person chooses a limit: the
 * messages of the last N days, and/or the newest N messages of each channel. A channel keeps what its circle keeps
 * unless it has a choice of its own. Applied (and older messages deleted here) on OK; other members keep theirs.
 */
final class HistoryPage extends PreferencePage {
	/** The circle ({@code channel} null) or channel a row of the tree stands for. */
	record Scope(String circleId, String channel) {
	}

	private final NodeService node;
	private final Scope initial;
	/** Choices changed on this page, not yet applied; an empty Optional takes a choice back. */
	private final Map<Scope, Optional<Retention>> edits = new HashMap<>();
	private Tree tree;
	private Group choice;
	private Button inherit;
	private Button own;
	private Button byAge;
	private Spinner days;
	private Button byCount;
	private Spinner count;
	private Label summary;
	private Scope selected;
	private boolean showing;

	/** @param initial the circle or channel to show first, or null */
	HistoryPage(NodeService node, Scope initial) {
		super("History");
		this.node = node;
		this.initial = initial;
		setDescription("How much of each circle's history this computer keeps. Nothing is deleted unless you choose "
				+ "a limit here; other members keep their own copies.");
		noDefaultAndApplyButton();
	}

	@Override
	protected Control createContents(Composite parent) {
		Composite area = new Composite(parent, SWT.NONE);
		area.setLayout(new GridLayout(1, false));
		if (node == null) {
			new Label(area, SWT.WRAP).setText("The node is still starting; open the settings again in a moment.");
			return area;
		}
		tree = WidgetIds.tag(new Tree(area, SWT.SINGLE | SWT.BORDER | SWT.V_SCROLL | SWT.FULL_SELECTION),
				"history.tree");
		GridData treeData = new GridData(SWT.FILL, SWT.FILL, true, true);
		treeData.heightHint = 150;
		treeData.widthHint = 380;
		tree.setLayoutData(treeData);
		for (Circle c : node.circles()) {
			TreeItem circle = new TreeItem(tree, SWT.NONE);
			circle.setData(new Scope(c.circleId(), null));
			for (Channel ch : node.channels(c.circleId())) {
				new TreeItem(circle, SWT.NONE).setData(new Scope(c.circleId(), ch.channelId()));
			}
			circle.setExpanded(true);
		}
		tree.addListener(SWT.Selection, e -> show(e.item == null ? null : (Scope) e.item.getData()));

		choice = new Group(area, SWT.NONE);
		choice.setLayout(new GridLayout(3, false));
		choice.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		inherit = radio("history.inherit", "");
		own = radio("history.own", "Its own choice:");
		byAge = check("history.byAge", "Delete messages older than");
		days = spinner("history.days", Retention.MAX_DAYS, 365, "days");
		byCount = check("history.byCount", "Keep at most the newest");
		count = spinner("history.count", 10_000_000, 1000, "messages of each channel");
		summary = WidgetIds.tag(new Label(area, SWT.WRAP), "history.summary");
		GridData summaryData = new GridData(SWT.FILL, SWT.TOP, true, false);
		summaryData.widthHint = 380;
		summary.setLayoutData(summaryData);
		if (tree.getItemCount() == 0) {
			choice.setText("No circles yet");
			setEnabled(false);
		} else {
			TreeItem first = find(initial).orElse(tree.getItem(0));
			tree.setSelection(first);
			show((Scope) first.getData());
		}
		labelRows();
		return area;
	}

	private Button radio(String id, String text) {
		Button b = WidgetIds.tag(new Button(choice, SWT.RADIO), id);
		b.setText(text);
		b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
		b.addListener(SWT.Selection, e -> edited());
		return b;
	}

	private Button check(String id, String text) {
		Button b = WidgetIds.tag(new Button(choice, SWT.CHECK), id);
		b.setText(text);
		GridData data = new GridData(SWT.BEGINNING, SWT.CENTER, false, false);
		data.horizontalIndent = 20;
		b.setLayoutData(data);
		b.addListener(SWT.Selection, e -> edited());
		return b;
	}

	private Spinner spinner(String id, int max, int initialValue, String unit) {
		Spinner s = WidgetIds.tag(new Spinner(choice, SWT.BORDER), id);
		s.setValues(initialValue, 1, max, 0, 1, 10);
		s.addListener(SWT.Modify, e -> edited());
		new Label(choice, SWT.NONE).setText(unit);
		return s;
	}

	/** Shows the choice of one circle or channel. */
	private void show(Scope scope) {
		selected = scope;
		if (scope == null) {
			return;
		}
		showing = true;
		try {
			boolean channel = scope.channel() != null;
			choice.setText(channel ? "#" + scope.channel() + " keeps" : circleName(scope.circleId()) + " keeps");
			inherit.setText(channel ? "What its circle keeps (" + effective(new Scope(scope.circleId(), null))
					.describe() + ")" : "Everything");
			Optional<Retention> r = current(scope);
			inherit.setSelection(r.isEmpty() || !channel && r.get().keepsAll());
			own.setSelection(!inherit.getSelection());
			own.setText(channel ? "Its own choice:" : "Only:");
			Retention shown = r.orElse(Retention.KEEP_ALL);
			byAge.setSelection(shown.maxAgeDays() > 0);
			if (shown.maxAgeDays() > 0) {
				days.setSelection(shown.maxAgeDays());
			}
			byCount.setSelection(shown.maxMessages() > 0);
			if (shown.maxMessages() > 0) {
				count.setSelection(shown.maxMessages());
			}
		} finally {
			showing = false;
		}
		enableLimits();
		describe();
	}

	private void edited() {
		if (showing || selected == null) {
			return;
		}
		if (own.getSelection() && !byAge.getSelection() && !byCount.getSelection() && selected.channel() == null) {
			// a circle whose own choice has no limit keeps everything: the same as no choice
			edits.put(selected, Optional.empty());
		} else if (inherit.getSelection()) {
			edits.put(selected, Optional.empty());
		} else {
			edits.put(selected, Optional.of(new Retention(byAge.getSelection() ? days.getSelection() : 0,
					byCount.getSelection() ? count.getSelection() : 0)));
		}
		enableLimits();
		describe();
		labelRows();
	}

	private void enableLimits() {
		boolean limits = own.getSelection();
		byAge.setEnabled(limits);
		byCount.setEnabled(limits);
		days.setEnabled(limits && byAge.getSelection());
		count.setEnabled(limits && byCount.getSelection());
	}

	private void describe() {
		Retention r = effective(selected);
		String where = selected.channel() == null ? "Each channel of " + circleName(selected.circleId())
				+ " without a choice of its own" : "#" + selected.channel();
		summary.setText(r.keepsAll() ? where + " keeps all its messages."
				: where + " keeps " + r.describe() + ". Older messages are deleted from this computer when you apply.");
		summary.getParent().layout();
	}

	/** The tree says what each row keeps. */
	private void labelRows() {
		for (TreeItem circle : tree.getItems()) {
			Scope c = (Scope) circle.getData();
			circle.setText(circleName(c.circleId()) + "  \u2014  " + effective(c).describe());
			for (TreeItem channel : circle.getItems()) {
				Scope ch = (Scope) channel.getData();
				channel.setText("#" + ch.channel() + "  \u2014  "
						+ current(ch).map(Retention::describe).orElse("as the circle"));
			}
		}
	}

	private Optional<Retention> current(Scope scope) {
		Optional<Retention> edited = edits.get(scope);
		if (edited != null) {
			return edited;
		}
		try {
			return node.retention(scope.circleId(), scope.channel());
		} catch (IllegalArgumentException gone) {
			return Optional.empty();
		}
	}

	private Retention effective(Scope scope) {
		return current(scope).or(() -> scope.channel() == null ? Optional.empty()
				: current(new Scope(scope.circleId(), null))).orElse(Retention.KEEP_ALL);
	}

	private String circleName(String circleId) {
		return node.circle(circleId).map(c -> Labels.circle(node, c)).orElse(circleId);
	}

	private Optional<TreeItem> find(Scope scope) {
		if (scope == null) {
			return Optional.empty();
		}
		for (TreeItem circle : tree.getItems()) {
			if (Objects.equals(circle.getData(), scope)) {
				return Optional.of(circle);
			}
			for (TreeItem channel : circle.getItems()) {
				if (Objects.equals(channel.getData(), scope)) {
					return Optional.of(channel);
				}
			}
		}
		return Optional.empty();
	}

	private void setEnabled(boolean enabled) {
		for (Control c : List.of(inherit, own, byAge, days, byCount, count)) {
			c.setEnabled(enabled);
		}
	}

	/** Applies the choices made here; the node deletes what is beyond them in the background. */
	@Override
	public boolean performOk() {
		if (node == null) {
			return true;
		}
		try {
			edits.forEach((scope, r) -> {
				if (!r.equals(node.retention(scope.circleId(), scope.channel()))) {
					node.setRetention(scope.circleId(), scope.channel(), r.orElse(null));
				}
			});
			edits.clear();
			return true;
		} catch (IllegalArgumentException | UnsupportedOperationException e) {
			setErrorMessage("The node refused the choice: " + e.getMessage());
			return false;
		}
	}
}
