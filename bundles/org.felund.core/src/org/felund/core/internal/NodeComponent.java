package org.felund.core.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.felund.api.anchor.AnchorPolicy;
import org.felund.api.anchor.AnchorStore;
import org.felund.api.model.Delivery;
import org.felund.api.control.ControlEvent;
import org.felund.api.control.ControlEventService;
import org.felund.api.control.ControlListener;
import org.felund.api.node.SystemNoteContributor;
import org.felund.api.control.ControlMessage;

import org.felund.api.crypto.CryptoService;
import org.felund.api.model.AccessMode;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Member;
import org.felund.api.model.Peer;
import org.felund.api.node.CreatedCircle;
import org.felund.api.node.NodeIdentity;
import org.felund.api.node.NodeListener;
import org.felund.api.node.NodeService;
import org.felund.api.node.RelaySigner;
import org.felund.api.node.SystemNote;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.store.RetentionPolicy;
import org.felund.api.store.SecretStore;
import org.felund.api.store.SyncKey;
import org.felund.api.transport.Endpoint;
import org.felund.api.transport.Transport;
import org.felund.api.transport.TransportState;
import org.felund.core.node.Node;
import org.felund.core.node.NodeOptions;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Registers the node of this framework's home as the {@link NodeService} and its {@link ControlEventService}, built
 * from the crypto and store services. Attaches every {@link Transport} service while it is registered (transports
 * come and go dynamically), consults the {@link AnchorPolicy} service when there is one, and delivers control events
 * to every {@link ControlListener} service (whiteboard), restricted to the types its
 * {@value ControlListener#TYPES_PROPERTY} property names.
 * <p>
 * Framework properties: {@code felund.retention.days} and {@code felund.retention.per_circle} (a limit for every
 * circle, set by an operator; default 0 = none: all history is kept, and each circle or channel may have its own
 * choice, {@link NodeService#setRetention}), and {@code felund.transports}: {@code off} keeps transports detached
 * (one-shot CLI commands such as {@code send} must not open the gossip port that a running node on the same home
 * already holds; the running node announces what they store); {@code setup} keeps them detached until the first-run
 * setup is answered ({@link NodeService#completeSetup}), so that a first start listens on no port and dials nobody
 * before the person said who they are and how this computer connects (the desktop).
 */
@Component(service = { NodeService.class, ControlEventService.class }, immediate = true)
public final class NodeComponent implements NodeService, ControlEventService {
	public static final String RETENTION_DAYS = "felund.retention.days";
	public static final String RETENTION_PER_CIRCLE = "felund.retention.per_circle";
	public static final String TRANSPORTS = "felund.transports";

	private final Node node;
	private final Attach attach;
	/** Transports held back until the setup is answered ({@code felund.transports=setup}). */
	private final java.util.List<Transport> held = new java.util.ArrayList<>();
	private final Map<ControlListener, ControlListener> whiteboard = new ConcurrentHashMap<>();
	private AnchorPolicy anchorPolicy;
	private AnchorStore anchorStore;

	@Activate
	public NodeComponent(BundleContext context, @Reference CryptoService crypto, @Reference MessageStore messages,
			@Reference CircleStore state, @Reference SecretStore secrets) {
		this.node = new Node(crypto, messages, state, secrets,
				NodeOptions.defaults().withRetention(retention(context::getProperty)));
		this.attach = Attach.of(context.getProperty(TRANSPORTS));
	}

	/** When transports are attached: always, never (one-shot commands), or once the setup is answered. */
	enum Attach {
		ALWAYS, NEVER, AFTER_SETUP;

		static Attach of(String property) {
			String p = property == null ? "" : property.strip();
			return "off".equalsIgnoreCase(p) ? NEVER : "setup".equalsIgnoreCase(p) ? AFTER_SETUP : ALWAYS;
		}
	}

	/** A limit for every circle from framework properties; none by default, bad values keep everything. */
	static RetentionPolicy retention(UnaryOperator<String> property) {
		long days = number(property.apply(RETENTION_DAYS), 0);
		long perCircle = number(property.apply(RETENTION_PER_CIRCLE), 0);
		return new RetentionPolicy(Math.min(days, 36_500) * 86_400, (int) Math.min(perCircle, Integer.MAX_VALUE),
				Map.of());
	}

	private static long number(String text, long fallback) {
		if (text == null || text.isBlank()) {
			return fallback;
		}
		try {
			long v = Long.parseLong(text.strip());
			return v < 0 ? fallback : v;
		} catch (NumberFormatException e) {
			return fallback;
		}
	}

	/**
	 * Transports are attached, or only known (for their configured endpoints) with {@code felund.transports=off}, or
	 * until the setup is answered with {@code felund.transports=setup}.
	 */
	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addTransport(Transport transport) {
		synchronized (held) {
			if (attach == Attach.ALWAYS || attach == Attach.AFTER_SETUP && node.setupComplete()) {
				node.attach(transport);
				return;
			}
			if (attach == Attach.AFTER_SETUP) {
				held.add(transport);
			}
			node.addDetached(transport);
		}
	}

	void removeTransport(Transport transport) {
		synchronized (held) {
			held.remove(transport);
		}
		node.detach(transport);
		node.removeDetached(transport);
	}

	@Override
	public boolean setupComplete() {
		return node.setupComplete();
	}

	/** Remembers the answer, then attaches the transports that were held back. */
	@Override
	public void completeSetup() {
		node.completeSetup();
		List<Transport> release;
		synchronized (held) {
			release = List.copyOf(held);
			held.clear();
			for (Transport t : release) {
				node.removeDetached(t);
				try {
					node.attach(t);
				} catch (RuntimeException e) {
					System.getLogger(NodeComponent.class.getName()).log(System.Logger.Level.WARNING,
							"Transport " + t.id() + " did not start after the setup: " + e.getMessage());
				}
			}
		}
	}

	@Override
	public Optional<org.felund.api.node.Retention> retention(String circleId, String channelId) {
		return node.retention(circleId, channelId);
	}

	@Override
	public void setRetention(String circleId, String channelId, org.felund.api.node.Retention retention) {
		node.setRetention(circleId, channelId, retention);
	}

	@Override
	public List<org.felund.api.node.ContactFailure> contactFailures(String circleId) {
		return node.contactFailures(circleId);
	}

	@Override
	public Optional<RelaySigner> relaySigner(String circleId) {
		return node.relaySigner(circleId);
	}

	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	synchronized void setAnchorPolicy(AnchorPolicy policy) {
		anchorPolicy = policy;
		node.setAnchorPolicy(policy);
	}

	/** A greedy reference binds the better policy before it unbinds the old one. */
	synchronized void unsetAnchorPolicy(AnchorPolicy policy) {
		if (anchorPolicy == policy) {
			anchorPolicy = null;
			node.setAnchorPolicy(null);
		}
	}

	/** The anchor plugin's ciphertext store: where this node keeps envelopes for others while it anchors. */
	@Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
			policyOption = ReferencePolicyOption.GREEDY)
	synchronized void setAnchorStore(AnchorStore store) {
		anchorStore = store;
		node.setAnchorStore(store);
	}

	synchronized void unsetAnchorStore(AnchorStore store) {
		if (anchorStore == store) {
			anchorStore = null;
			node.setAnchorStore(null);
		}
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addControlListener(ControlListener listener, Map<String, Object> properties) {
		ControlListener filtered = TypeFilter.of(listener, properties.get(ControlListener.TYPES_PROPERTY));
		whiteboard.put(listener, filtered);
		node.controlEvents().addListener(filtered);
	}

	@Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
	void addNoteContributor(SystemNoteContributor contributor, Map<String, Object> properties) {
		java.util.Set<String> types = TypeFilter.types(properties.get(SystemNoteContributor.TYPES_PROPERTY));
		if (types.isEmpty()) {
			System.getLogger(NodeComponent.class.getName()).log(System.Logger.Level.WARNING, "a SystemNoteContributor without " + SystemNoteContributor.TYPES_PROPERTY
					+ " is ignored");
			return;
		}
		Object ranking = properties.get(org.osgi.framework.Constants.SERVICE_RANKING);
		node.addNoteContributor(contributor, types, ranking instanceof Integer r ? r : 0);
	}

	void removeNoteContributor(SystemNoteContributor contributor) {
		node.removeNoteContributor(contributor);
	}

	void removeControlListener(ControlListener listener) {
		ControlListener filtered = whiteboard.remove(listener);
		if (filtered != null) {
			node.controlEvents().removeListener(filtered);
		}
	}

	@Deactivate
	void deactivate() {
		node.close();
	}

	@Override
	public NodeIdentity identity() {
		return node.identity();
	}

	@Override
	public void setDisplayName(String displayName) {
		node.setDisplayName(displayName);
	}

	@Override
	public void setBootstrapPeer(String circleId, String hostPort) {
		node.setBootstrapPeer(circleId, hostPort);
	}

	@Override
	public List<Circle> circles() {
		return node.circles();
	}

	@Override
	public Optional<Circle> circle(String circleId) {
		return node.circle(circleId);
	}

	@Override
	public CreatedCircle createCircle(String name) {
		return node.createCircle(name);
	}

	@Override
	public Circle joinCircle(String inviteCode) {
		return node.joinCircle(inviteCode);
	}

	@Override
	public Circle joinCircle(String secretHex, String peer) {
		return node.joinCircle(secretHex, peer);
	}

	@Override
	public void leaveCircle(String circleId) {
		node.leaveCircle(circleId);
	}

	@Override
	public void renameCircle(String circleId, String name) {
		node.renameCircle(circleId, name);
	}

	@Override
	public String inviteCode(String circleId, String peerHint) {
		return node.inviteCode(circleId, peerHint);
	}

	@Override
	public List<Channel> channels(String circleId) {
		return node.channels(circleId);
	}

	@Override
	public Channel createChannel(String circleId, String channelId, AccessMode mode, String channelKey) {
		return node.createChannel(circleId, channelId, mode, channelKey);
	}

	@Override
	public Channel joinChannel(String circleId, String channelId, String channelKey) {
		return node.joinChannel(circleId, channelId, channelKey);
	}

	@Override
	public void leaveChannel(String circleId, String channelId) {
		node.leaveChannel(circleId, channelId);
	}

	@Override
	public void requestChannel(String circleId, String channelId) {
		node.requestChannel(circleId, channelId);
	}

	@Override
	public void approveChannel(String circleId, String channelId, String nodeId) {
		node.approveChannel(circleId, channelId, nodeId);
	}

	@Override
	public ChatMessage send(String circleId, String channelId, String text) {
		return node.send(circleId, channelId, text);
	}

	@Override
	public List<ChatMessage> history(String circleId, String channelId, SyncKey before, int limit) {
		return node.history(circleId, channelId, before, limit);
	}

	@Override
	public Optional<SystemNote> describe(ChatMessage controlMessage) {
		return node.describe(controlMessage);
	}

	@Override
	public List<Member> members(String circleId) {
		return node.members(circleId);
	}

	@Override
	public List<Peer> peers(String circleId) {
		return node.peers(circleId);
	}

	@Override
	public Map<String, TransportState> transports() {
		return node.transports();
	}

	@Override
	public List<Endpoint> endpoints() {
		return node.endpoints();
	}

	@Override
	public Optional<Delivery> delivery(String circleId, String msgId) {
		return node.delivery(circleId, msgId);
	}

	@Override
	public Map<String, Delivery> deliveries(String circleId, java.util.Collection<String> msgIds) {
		return node.deliveries(circleId, msgIds);
	}

	@Override
	public List<String> anchors(String circleId) {
		return node.anchors(circleId);
	}

	@Override
	public boolean publiclyReachable() {
		return node.publiclyReachable();
	}

	@Override
	public ControlMessage send(String circleId, ControlEvent event) {
		return node.controlEvents().send(circleId, event);
	}

	@Override
	public List<ControlMessage> history(String circleId, long sinceTs, int limit) {
		return node.controlEvents().history(circleId, sinceTs, limit);
	}

	@Override
	public void addListener(ControlListener listener) {
		node.controlEvents().addListener(listener);
	}

	@Override
	public void removeListener(ControlListener listener) {
		node.controlEvents().removeListener(listener);
	}

	@Override
	public void addListener(NodeListener listener) {
		node.addListener(listener);
	}

	@Override
	public void removeListener(NodeListener listener) {
		node.removeListener(listener);
	}
}
