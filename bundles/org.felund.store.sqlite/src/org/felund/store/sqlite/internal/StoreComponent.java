package org.felund.store.sqlite.internal;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.felund.api.crypto.CircleSecret;
import org.felund.api.model.AnchorRecord;
import org.felund.api.model.Channel;
import org.felund.api.model.ChatMessage;
import org.felund.api.model.Circle;
import org.felund.api.model.Peer;
import org.felund.api.store.CircleStore;
import org.felund.api.store.MessageStore;
import org.felund.api.store.RetentionPolicy;
import org.felund.api.store.SecretStore;
import org.felund.api.store.SyncKey;
import org.felund.store.sqlite.SqliteNodeStore;
import org.felund.store.sqlite.StoreOptions;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Opens the node home named by the framework property {@code felund.home} (default
 * {@code ${user.home}/.felund}) and offers it as the three store services, closing it on deactivation.
 * <p>
 * The passphrase comes from the environment variable {@code FELUND_PASSPHRASE}, else the framework or system
 * property {@code felund.passphrase}; with neither, the home's key file is used. {@code felund.store.durability}
 * ({@code normal}, the default, or {@code full}) selects {@link StoreOptions.Durability}.
 */
@Component(service = { MessageStore.class, CircleStore.class, SecretStore.class })
public final class StoreComponent implements MessageStore, CircleStore, SecretStore {
	public static final String HOME_PROPERTY = "felund.home";
	public static final String PASSPHRASE_PROPERTY = "felund.passphrase";
	public static final String PASSPHRASE_ENV = "FELUND_PASSPHRASE";
	public static final String DURABILITY_PROPERTY = "felund.store.durability";

	private final SqliteNodeStore store;
	private final MessageStore messages;
	private final CircleStore state;
	private final SecretStore secrets;

	@Activate
	public StoreComponent(BundleContext context) {
		this(open(context::getProperty, System::getenv));
	}

	StoreComponent(SqliteNodeStore store) {
		this.store = store;
		this.messages = store.messages();
		this.state = store.state();
		this.secrets = store.secrets();
	}

	/** Opens the store the way the component does, from properties and the environment. */
	static SqliteNodeStore open(UnaryOperator<String> property, UnaryOperator<String> env) {
		Config c = config(property, env);
		return SqliteNodeStore.open(c.home(), c.passphrase(), c.options());
	}

	/** Where the home is, which passphrase opens it and how durable writes are. */
	record Config(Path home, char[] passphrase, StoreOptions options) {
	}

	static Config config(UnaryOperator<String> property, UnaryOperator<String> env) {
		String home = property.apply(HOME_PROPERTY);
		if (home == null || home.isBlank()) {
			home = Path.of(System.getProperty("user.home"), ".felund").toString();
		}
		String pass = env.apply(PASSPHRASE_ENV);
		if (pass == null || pass.isEmpty()) {
			pass = property.apply(PASSPHRASE_PROPERTY);
		}
		String durability = property.apply(DURABILITY_PROPERTY);
		StoreOptions options = durability == null || durability.isBlank() ? StoreOptions.DEFAULT
				: StoreOptions.DEFAULT.withDurability(StoreOptions.Durability.parse(durability));
		return new Config(Path.of(home.trim()), pass == null || pass.isEmpty() ? null : pass.toCharArray(), options);
	}

	@Deactivate
	void deactivate() {
		store.close();
	}

	SqliteNodeStore store() {
		return store;
	}

	// ---- MessageStore

	@Override
	public boolean put(ChatMessage atRest) {
		return messages.put(atRest);
	}

	@Override
	public List<ChatMessage> putAll(Collection<ChatMessage> atRest) {
		return messages.putAll(atRest);
	}

	@Override
	public boolean contains(String circleId, String msgId) {
		return messages.contains(circleId, msgId);
	}

	@Override
	public Optional<ChatMessage> get(String circleId, String msgId) {
		return messages.get(circleId, msgId);
	}

	@Override
	public List<ChatMessage> get(String circleId, List<String> msgIds) {
		return messages.get(circleId, msgIds);
	}

	@Override
	public List<String> messageIds(String circleId) {
		return messages.messageIds(circleId);
	}

	@Override
	public List<ChatMessage> history(String circleId, String channelId, SyncKey before, int limit) {
		return messages.history(circleId, channelId, before, limit);
	}

	@Override
	public List<ChatMessage> recent(String circleId, boolean includeControl, int limit) {
		return messages.recent(circleId, includeControl, limit);
	}

	@Override
	public List<SyncKey> keys(String circleId, SyncKey from, SyncKey to, int limit) {
		return messages.keys(circleId, from, to, limit);
	}

	@Override
	public long count(String circleId, SyncKey from, SyncKey to) {
		return messages.count(circleId, from, to);
	}

	@Override
	public void deleteCircle(String circleId) {
		messages.deleteCircle(circleId);
	}

	@Override
	public int prune(RetentionPolicy policy, long nowSeconds) {
		return messages.prune(policy, nowSeconds);
	}

	@Override
	public int prune(String circleId, RetentionPolicy policy, long nowSeconds) {
		return messages.prune(circleId, policy, nowSeconds);
	}

	@Override
	public List<StoredMessage> since(String circleId, long afterSeq, int limit) {
		return messages.since(circleId, afterSeq, limit);
	}

	@Override
	public long lastSeq() {
		return messages.lastSeq();
	}

	@Override
	public boolean recordDelivery(String circleId, String msgId, org.felund.api.model.Delivery.Hop hop) {
		return messages.recordDelivery(circleId, msgId, hop);
	}

	@Override
	public java.util.Map<String, List<org.felund.api.model.Delivery.Hop>> deliveries(String circleId,
			Collection<String> msgIds) {
		return messages.deliveries(circleId, msgIds);
	}

	// ---- CircleStore

	@Override
	public void putCircle(Circle circle) {
		state.putCircle(circle);
	}

	@Override
	public Optional<Circle> circle(String circleId) {
		return state.circle(circleId);
	}

	@Override
	public List<Circle> circles() {
		return state.circles();
	}

	@Override
	public void removeCircle(String circleId) {
		state.removeCircle(circleId);
	}

	@Override
	public void putChannel(Channel channel) {
		state.putChannel(channel);
	}

	@Override
	public Optional<Channel> channel(String circleId, String channelId) {
		return state.channel(circleId, channelId);
	}

	@Override
	public List<Channel> channels(String circleId) {
		return state.channels(circleId);
	}

	@Override
	public void addMember(String circleId, String nodeId) {
		state.addMember(circleId, nodeId);
	}

	@Override
	public List<String> members(String circleId) {
		return state.members(circleId);
	}

	@Override
	public void mergePeer(String circleId, Peer peer) {
		state.mergePeer(circleId, peer);
	}

	@Override
	public List<Peer> peers(String circleId) {
		return state.peers(circleId);
	}

	@Override
	public void setDisplayName(String circleId, String nodeId, String displayName) {
		state.setDisplayName(circleId, nodeId, displayName);
	}

	@Override
	public Optional<String> displayName(String circleId, String nodeId) {
		return state.displayName(circleId, nodeId);
	}

	@Override
	public void putAnchor(AnchorRecord record) {
		state.putAnchor(record);
	}

	@Override
	public List<AnchorRecord> anchors(String circleId) {
		return state.anchors(circleId);
	}

	@Override
	public Optional<String> setting(String key) {
		return state.setting(key);
	}

	@Override
	public void putSetting(String key, String value) {
		state.putSetting(key, value);
	}

	// ---- SecretStore

	@Override
	public void put(String circleId, CircleSecret secret) {
		secrets.put(circleId, secret);
	}

	@Override
	public Optional<CircleSecret> get(String circleId) {
		return secrets.get(circleId);
	}

	@Override
	public void remove(String circleId) {
		secrets.remove(circleId);
	}
}
