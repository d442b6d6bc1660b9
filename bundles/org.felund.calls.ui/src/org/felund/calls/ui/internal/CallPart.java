package org.felund.calls.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.di.extensions.Service;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.felund.api.call.Call;
import org.felund.api.call.CallListener;
import org.felund.api.call.CallService;
import org.felund.api.call.LocalMedia;
import org.felund.api.call.PeerMedia;
import org.felund.api.call.Role;
import org.felund.api.model.Circle;
import org.felund.api.model.Member;
import org.felund.api.node.NodeService;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * The call beside the chat: the call this node is in (or else the newest call of its circles), everyone in it with
 * the host marked ★, their role and media, video tiles, and the controls this node may use. Service events arrive on
 * the calls thread and are folded into one refresh on the UI thread; video frames go straight to their tiles.
 */
public class CallPart {
	public static final String ID = "org.felund.calls.ui.part.call";

	private CallService calls;
	private NodeService node;
	private Display display;
	private Label status;
	private Table people;
	private Composite tiles;
	private Button join;
	private Button watch;
	private Button leave;
	private Button mute;
	private Button camera;
	private Button end;
	private Button revoke;
	private Call shown;
	private final Map<String, VideoTile> tileByNode = new LinkedHashMap<>();
	private final List<AutoCloseable> watches = new ArrayList<>();
	private String watchedSession = "";
	private final AtomicBoolean refreshPending = new AtomicBoolean();
	private final CallListener listener = new CallListener() {
		@Override
		public void callChanged(Call call) {
			scheduleRefresh();
		}

		@Override
		public void callStarted(Call call) {
			scheduleRefresh();
		}

		@Override
		public void mediaChanged(String sessionId) {
			scheduleRefresh();
		}
	};

	@PostConstruct
	public void create(Composite parent) {
		display = parent.getDisplay();
		parent.setLayout(new GridLayout(1, false));
		status = new Label(parent, SWT.WRAP);
		// A small width hint lets the label wrap to the view's width instead of widening it.
		GridData statusData = new GridData(SWT.FILL, SWT.TOP, true, false);
		statusData.widthHint = 100;
		status.setLayoutData(statusData);
		tiles = new Composite(parent, SWT.NONE);
		GridLayout tileLayout = new GridLayout(2, true);
		tiles.setLayout(tileLayout);
		// The video takes what the list and the controls leave, but never shrinks to nothing.
		GridData tilesData = new GridData(SWT.FILL, SWT.FILL, true, true);
		tilesData.minimumHeight = 160;
		tiles.setLayoutData(tilesData);
		people = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
		people.setHeaderVisible(true);
		GridData peopleData = new GridData(SWT.FILL, SWT.FILL, true, false);
		peopleData.heightHint = 90;
		people.setLayoutData(peopleData);
		for (String column : new String[] { "Who", "Role", "Media" }) {
			TableColumn c = new TableColumn(people, SWT.LEFT);
			c.setText(column);
			c.setWidth(column.equals("Media") ? 200 : 110);
		}
		people.addListener(SWT.Selection, e -> updateButtons());
		Composite buttons = new Composite(parent, SWT.NONE);
		// The controls wrap onto more rows in a narrow view rather than being cut off.
		org.eclipse.swt.layout.RowLayout buttonRows = new org.eclipse.swt.layout.RowLayout(SWT.HORIZONTAL);
		buttonRows.wrap = true;
		buttonRows.marginLeft = 0;
		buttons.setLayout(buttonRows);
		GridData buttonsData = new GridData(SWT.FILL, SWT.TOP, true, false);
		buttonsData.widthHint = 100;
		buttons.setLayoutData(buttonsData);
		join = button(buttons, "Join", () -> calls.join(shown.sessionId()));
		watch = button(buttons, "Watch", () -> calls.view(shown.sessionId()));
		leave = button(buttons, "Leave", () -> calls.leave(shown.sessionId()));
		mute = button(buttons, "Mute", () -> calls.setMuted(!calls.localMedia().muted()));
		camera = button(buttons, "Camera off", () -> calls.setCamera(!calls.localMedia().cameraOn()));
		end = button(buttons, "End", () -> calls.end(shown.sessionId()));
		revoke = button(buttons, "Remove", () -> selectedNode().ifPresent(id -> calls.revoke(shown.sessionId(), id)));
		parent.addDisposeListener(e -> stopWatching());
		refresh();
	}

	@Inject
	void services(@Optional @Service CallService callService, @Optional @Service NodeService nodeService) {
		if (calls != null) {
			calls.removeListener(listener);
		}
		calls = callService;
		node = nodeService;
		if (calls != null) {
			calls.addListener(listener);
		}
		scheduleRefresh();
	}

	@Focus
	public void focus() {
		if (people != null && !people.isDisposed()) {
			people.setFocus();
		}
	}

	@PreDestroy
	public void dispose() {
		if (calls != null) {
			calls.removeListener(listener);
		}
		stopWatching();
	}

	private Button button(Composite parent, String text, Runnable action) {
		Button b = new Button(parent, SWT.PUSH);
		b.setText(text);
		b.addListener(SWT.Selection, e -> {
			try {
				action.run();
			} catch (IllegalStateException | IllegalArgumentException ex) {
				status.setText(ex.getMessage());
				status.getParent().layout(true);
				return;
			}
			refresh();
		});
		return b;
	}

	private void scheduleRefresh() {
		Display d = display;
		if (d == null || d.isDisposed() || !refreshPending.compareAndSet(false, true)) {
			return;
		}
		d.asyncExec(() -> {
			refreshPending.set(false);
			if (status != null && !status.isDisposed()) {
				refresh();
			}
		});
	}

	/** The call to show: ours, else the newest running call of any circle. */
	private java.util.Optional<Call> callToShow() {
		java.util.Optional<Call> mine = calls.current();
		if (mine.isPresent() || node == null) {
			return mine;
		}
		Call newest = null;
		for (Circle c : node.circles()) {
			for (Call call : calls.calls(c.circleId())) {
				if (newest == null || call.createdTs() > newest.createdTs()) {
					newest = call;
				}
			}
		}
		return java.util.Optional.ofNullable(newest);
	}

	private void refresh() {
		if (calls == null) {
			status.setText("The calls service is not running.");
			shown = null;
			people.removeAll();
			updateButtons();
			return;
		}
		shown = callToShow().orElse(null);
		LocalMedia local = calls.localMedia();
		String self = node == null ? "" : node.identity().nodeId();
		if (shown == null) {
			status.setText("No call. Type /call start in a channel to begin one.");
		} else {
			String text = "#" + shown.channelId() + " · hosted by " + name(shown.hostNodeId()) + " · "
					+ shown.participants().size() + " in the call, " + shown.viewers().size() + " watching";
			if (!local.problem().isEmpty()) {
				text += "\n" + local.problem();
			}
			status.setText(text);
		}
		Map<String, PeerMedia> media = new LinkedHashMap<>();
		for (PeerMedia p : calls.peers()) {
			media.put(p.nodeId(), p);
		}
		people.removeAll();
		if (shown != null) {
			List<String> everyone = new ArrayList<>(shown.participants());
			everyone.addAll(shown.viewers());
			for (String id : everyone) {
				TableItem item = new TableItem(people, SWT.NONE);
				item.setData(id);
				String who = (shown.isHost(id) ? "★ " : "") + name(id) + (id.equals(self) ? " (you)" : "");
				item.setText(new String[] { who, role(shown.roleOf(id)), mediaText(id, self, local, media.get(id)) });
			}
		}
		updateTiles(self, local, media);
		updateButtons();
		status.getParent().layout(true, true);
	}

	private static String role(Role role) {
		return switch (role) {
		case HOST -> "host";
		case PARTICIPANT -> "in the call";
		case VIEWER -> "watching";
		case NONE -> "";
		};
	}

	private static String mediaText(String id, String self, LocalMedia local, PeerMedia peer) {
		if (id.equals(self)) {
			if (!local.inCall()) {
				return "";
			}
			if (local.role() == Role.VIEWER) {
				return "receiving only";
			}
			return (local.muted() ? "muted" : "mic on") + ", " + (local.cameraOn() ? "camera on"
					: local.cameraAvailable() ? "camera off" : "no camera");
		}
		if (peer == null) {
			return local.inCall() ? "no media with you" : "";
		}
		String health = switch (peer.health()) {
		case CONNECTING -> "connecting";
		case CONNECTED -> "connected";
		case DEGRADED -> "degraded";
		case FAILED -> "failed";
		};
		String audio = peer.audioIn().bytes() == 0 ? "" : peer.audioIn().level() < 0.005 ? ", silent" : ", talking";
		String video = peer.videoIn().fps() > 0 ? ", video " + peer.videoIn().width() + "x" + peer.videoIn().height()
				: "";
		String detail = peer.detail().isEmpty() ? "" : " (" + peer.detail() + ")";
		return health + detail + audio + video;
	}

	/** One tile per peer we receive from, and our own preview while the camera is on. */
	private void updateTiles(String self, LocalMedia local, Map<String, PeerMedia> media) {
		List<String> wanted = new ArrayList<>();
		if (local.inCall()) {
			wanted.addAll(media.keySet());
			if (local.cameraOn()) {
				wanted.add(self);
			}
		}
		if (!local.sessionId().equals(watchedSession) || !wanted.equals(new ArrayList<>(tileByNode.keySet()))) {
			stopWatching();
			watchedSession = local.sessionId();
			// One picture takes the whole width; more share it two by two.
			((GridLayout) tiles.getLayout()).numColumns = Math.max(1, Math.min(2, wanted.size()));
			for (String id : wanted) {
				VideoTile tile = new VideoTile(tiles, id.equals(self) ? "you" : name(id));
				tile.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
				tileByNode.put(id, tile);
				watches.add(calls.watch(id, tile));
			}
			tiles.layout(true);
		}
	}

	/** Where the tiles are (null before the view is made). */
	Composite tilesArea() {
		return tiles;
	}

	/** The participant list (null before the view is made). */
	Table peopleTable() {
		return people;
	}

	/** The tiles shown now, by node id (UI thread). */
	Map<String, VideoTile> tiles() {
		return java.util.Collections.unmodifiableMap(tileByNode);
	}

	private void stopWatching() {
		for (AutoCloseable w : watches) {
			try {
				w.close();
			} catch (Exception e) {
				// The call is gone already.
			}
		}
		watches.clear();
		for (VideoTile t : tileByNode.values()) {
			Control c = t.control();
			if (!c.isDisposed()) {
				c.dispose();
			}
		}
		tileByNode.clear();
		watchedSession = "";
	}

	private void updateButtons() {
		LocalMedia local = calls == null ? LocalMedia.NONE : calls.localMedia();
		String self = node == null ? "" : node.identity().nodeId();
		boolean open = shown != null && !shown.ended();
		boolean in = open && shown.includes(self);
		boolean host = open && shown.isHost(self);
		boolean free = calls != null && calls.current().isEmpty();
		join.setEnabled(open && free);
		watch.setEnabled(open && free && shown.viewers().size() < calls.viewerCap());
		leave.setEnabled(in);
		mute.setEnabled(in && local.role() != Role.VIEWER);
		mute.setText(local.muted() ? "Unmute" : "Mute");
		camera.setEnabled(in && local.role() != Role.VIEWER && local.cameraAvailable());
		camera.setText(local.cameraOn() ? "Camera off" : "Camera on");
		end.setEnabled(host);
		java.util.Optional<String> selected = selectedNode();
		revoke.setEnabled(host && selected.isPresent() && !selected.get().equals(self));
		mute.getParent().layout(true);
	}

	private java.util.Optional<String> selectedNode() {
		TableItem[] selection = people.getSelection();
		return selection.length == 1 ? java.util.Optional.of((String) selection[0].getData()) : java.util.Optional.empty();
	}

	private String name(String nodeId) {
		return shown == null ? nodeId : displayName(node, shown.circleId(), nodeId);
	}

	/** A member's display name in a circle, or the start of its node id when it has none. */
	static String displayName(NodeService node, String circleId, String nodeId) {
		if (node != null) {
			try {
				for (Member m : node.members(circleId)) {
					if (m.nodeId().equals(nodeId) && m.displayName() != null && !m.displayName().isBlank()) {
						return m.displayName();
					}
				}
			} catch (IllegalArgumentException e) {
				// The circle went.
			}
		}
		return nodeId.length() > 8 ? nodeId.substring(0, 8) : nodeId;
	}
}
