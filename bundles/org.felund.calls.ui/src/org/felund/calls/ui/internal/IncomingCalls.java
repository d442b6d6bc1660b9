package org.felund.calls.ui.internal;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.felund.api.call.Call;
import org.felund.api.call.CallListener;
import org.felund.api.call.CallService;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The incoming-call notice: when another member starts a call, the call view comes up beside the chat (without
 * taking the focus from the composer) showing that call with its Join and Watch buttons, and the display beeps.
 * An addon of the plugin's model fragment, so it comes and goes with the plugin.
 */
public class IncomingCalls {
	@Inject
	MApplication application;

	@Inject
	UISynchronize ui;

	private CallService calls;
	private final CallListener listener = new CallListener() {
		@Override
		public void callStarted(Call call) {
			ui.asyncExec(IncomingCalls.this::show);
		}
	};

	@Inject
	void service(@Optional @Service CallService service) {
		if (calls != null) {
			calls.removeListener(listener);
		}
		calls = service;
		if (calls != null) {
			calls.addListener(listener);
		}
	}

	private void show() {
		MWindow window = application.getSelectedElement();
		if (window == null || window.getContext() == null) {
			return;
		}
		EPartService parts = window.getContext().get(EPartService.class);
		if (parts != null) {
			parts.showPart(CallPart.ID, EPartService.PartState.VISIBLE);
		}
		org.eclipse.swt.widgets.Display display = org.eclipse.swt.widgets.Display.getCurrent();
		if (display != null) {
			display.beep();
		}
	}

	@PreDestroy
	void stop() {
		if (calls != null) {
			calls.removeListener(listener);
		}
	}
}
