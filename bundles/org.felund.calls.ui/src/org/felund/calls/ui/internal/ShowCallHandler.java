package org.felund.calls.ui.internal;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;

/**
 * F4 and View ▸ Calls while the calls plugin is installed: the call view beside the chat. The view opens in the
 * workbench's side stack, below the members; a first F4 gives that column (taken from the chat) and the view the room
 * video needs; a user's own, larger sash positions are kept.
 */
public class ShowCallHandler {
	static final String RIGHT_COLUMN = "org.felund.ui.sash.right";
	static final String SIDE_STACK = "org.felund.ui.stack.side";
	static final String MEMBERS_STACK = "org.felund.ui.stack.members";
	static final String CHAT_STACK = "org.felund.ui.stack.chat";
	/** The right column's share of the window's width while a call is shown. */
	static final int CALL_COLUMN_PERCENT = 38;

	@Execute
	public void execute(EPartService parts, EModelService models, MApplication application) {
		parts.showPart(CallPart.ID, EPartService.PartState.ACTIVATE);
		// The room comes from the chat, which stays at least as wide; the circles keep theirs. Weights are relative
		// (the model's defaults add up to 100, dragged sashes write larger numbers).
		MUIElement column = models.find(RIGHT_COLUMN, application);
		MUIElement chat = models.find(CHAT_STACK, application);
		if (column != null && chat != null && column.getParent() != null && weight(column) >= 0
				&& weight(chat) >= 0) {
			int sum = 0;
			for (MUIElement sibling : column.getParent().getChildren()) {
				sum += Math.max(0, weight(sibling));
			}
			int target = sum * CALL_COLUMN_PERCENT / 100;
			int moved = Math.min(target - weight(column), weight(chat) - target);
			if (moved > 0) {
				chat.setContainerData(Integer.toString(weight(chat) - moved));
				column.setContainerData(Integer.toString(weight(column) + moved));
			}
		}
		MUIElement side = models.find(SIDE_STACK, application);
		MUIElement members = models.find(MEMBERS_STACK, application);
		if (side != null && members != null && weight(side) >= 0 && weight(members) >= 0
				&& weight(side) < 2 * weight(members)) {
			int total = weight(side) + weight(members);
			members.setContainerData(Integer.toString(Math.max(1, total / 3)));
			side.setContainerData(Integer.toString(total - Math.max(1, total / 3)));
		}
	}

	/** The sash weight of an element, or -1 when it has none the handler understands. */
	private static int weight(MUIElement element) {
		try {
			return Integer.parseInt(String.valueOf(element.getContainerData()).strip());
		} catch (NumberFormatException e) {
			return -1;
		}
	}
}
