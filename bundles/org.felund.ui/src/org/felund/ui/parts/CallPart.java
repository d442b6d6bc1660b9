package org.felund.ui.parts;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.List;
import org.felund.api.call.CallService;
import org.felund.api.call.CallSession;
import org.felund.ui.internal.ChannelRef;
import org.felund.ui.internal.WidgetIds;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * Calls of the selected circle. The call service is an optional plugin: until it is installed the part
 * says so instead of offering controls that cannot work.
 */
public class CallPart {
	@Inject
	private UISynchronize sync;

	private CallService calls;
	private ChannelRef current;
	private Label state;
	private List sessions;

	@PostConstruct
	public void createControls(Composite parent) {
		parent.setLayout(new GridLayout(1, false));
		state = WidgetIds.tag(new Label(parent, SWT.WRAP), "call.state");
		state.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		sessions = WidgetIds.tag(new List(parent, SWT.SINGLE | SWT.V_SCROLL), "call.sessions");
		sessions.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		refresh();
	}

	@Inject
	@Optional
	void setCalls(@Service CallService service) {
		calls = service;
		if (state != null) {
			sync.asyncExec(this::refresh);
		}
	}

	@Inject
	@Optional
	void setChannel(ChannelRef ref) {
		current = ref;
		if (state != null) {
			refresh();
		}
	}

	private void refresh() {
		if (state == null || state.isDisposed()) {
			return;
		}
		sessions.removeAll();
		if (calls == null) {
			state.setText("Calls are not installed. Install the calls plugin from the update site.");
			return;
		}
		if (current == null) {
			state.setText("Select a circle to see its calls.");
			return;
		}
		java.util.List<CallSession> active = calls.calls(current.circleId());
		state.setText(active.isEmpty() ? "No call in this circle." : active.size() + " call(s) in this circle.");
		for (CallSession s : active) {
			sessions.add("#" + s.channelId() + " · " + s.state().name().toLowerCase() + " · "
					+ s.participants().size() + " in call, " + s.viewers().size() + " watching");
		}
		state.getParent().layout();
	}

	@Focus
	public void setFocus() {
		sessions.setFocus();
	}
}
