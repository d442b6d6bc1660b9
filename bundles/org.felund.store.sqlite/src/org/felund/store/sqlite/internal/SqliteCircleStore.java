package org.felund.store.sqlite.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.felund.api.model.AccessMode;
import org.felund.api.model.AnchorRecord;
import org.felund.api.model.Channel;
import org.felund.api.model.Circle;
import org.felund.api.model.Peer;
import org.felund.api.store.CircleStore;
import org.felund.api.store.StoreException;
import org.felund.store.sqlite.internal.Database.Session;
import org.felund.store.sqlite.internal.Sealer.SealedValueException;

/**
 * Circles, channels, membership, peers, live names, anchor records and settings. Values that reveal
 * conversation content or who people are (display names, circle names, channel key hashes, settings such as
 * the local display name) are sealed with the home's storage key; ids, addresses and timestamps, which every
 * peer sees in message headers anyway, are stored as they are so they can be indexed.
 * <p>
 * Circles and settings are written with a device flush whatever the store's durability, because no peer can
 * give them back.
 */
public final class SqliteCircleStore implements CircleStore {
	private final Database db;
	private final Sealer sealer;

	public SqliteCircleStore(Database db, Sealer sealer) {
		this.db = db;
		this.sealer = sealer;
	}

	// ---- circles

	@Override
	public void putCircle(Circle circle) {
		Objects.requireNonNull(circle, "circle");
		String id = requireId(circle.circleId(), "circle id");
		byte[] name = sealer.sealString(orEmpty(circle.name()), circleNameAad(id));
		db.durableTransaction("storing circle " + id, s -> {
			PreparedStatement ps = s.prepare("INSERT INTO circles(circle_id, circle_hint, name_sealed, joined_ts,"
					+ " bootstrap_peer) VALUES(?,?,?,?,?) ON CONFLICT(circle_id) DO UPDATE SET"
					+ " circle_hint=excluded.circle_hint, name_sealed=excluded.name_sealed,"
					+ " joined_ts=excluded.joined_ts, bootstrap_peer=excluded.bootstrap_peer");
			ps.setString(1, id);
			ps.setString(2, orEmpty(circle.circleHint()));
			ps.setBytes(3, name);
			ps.setLong(4, circle.joinedTs());
			ps.setString(5, orEmpty(circle.bootstrapPeer()));
			return ps.executeUpdate();
		});
	}

	@Override
	public Optional<Circle> circle(String circleId) {
		List<Circle> found = readCircles("reading circle " + circleId,
				"SELECT circle_id, circle_hint, name_sealed, joined_ts, bootstrap_peer FROM circles WHERE circle_id=?",
				circleId);
		return found.stream().findFirst();
	}

	@Override
	public List<Circle> circles() {
		return readCircles("listing circles", "SELECT circle_id, circle_hint, name_sealed, joined_ts, bootstrap_peer"
				+ " FROM circles ORDER BY joined_ts, circle_id", null);
	}

	private List<Circle> readCircles(String what, String sql, String param) {
		return db.read(what, s -> {
			PreparedStatement ps = s.prepare(sql);
			if (param != null) {
				ps.setString(1, param);
			}
			List<Circle> out = new ArrayList<>();
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					String id = rs.getString(1);
					String name = open(rs.getBytes(3), circleNameAad(id), "name of circle " + id);
					out.add(new Circle(id, rs.getString(2), name, rs.getLong(4), rs.getString(5)));
				}
			}
			return out;
		});
	}

	/** Removes the circle and everything known about it except messages, secret and (global) peer records. */
	@Override
	public void removeCircle(String circleId) {
		db.durableTransaction("removing circle " + circleId, s -> {
			for (String table : List.of("circles", "channels", "channel_members", "channel_requests", "circle_members",
					"display_names", "anchors")) {
				PreparedStatement ps = s.prepare("DELETE FROM " + table + " WHERE circle_id=?");
				ps.setString(1, circleId);
				ps.executeUpdate();
			}
			return null;
		});
	}

	// ---- channels

	/** Stores the channel and replaces its member and pending-request sets with the given ones. */
	@Override
	public void putChannel(Channel channel) {
		Objects.requireNonNull(channel, "channel");
		String circleId = requireId(channel.circleId(), "circle id");
		String channelId = requireId(channel.channelId(), "channel id");
		Objects.requireNonNull(channel.accessMode(), "access mode");
		byte[] keyHash = sealer.sealString(channel.keyHash(), keyHashAad(circleId, channelId));
		db.transaction("storing channel " + circleId + "/" + channelId, s -> {
			PreparedStatement ps = s.prepare("INSERT INTO channels(circle_id, channel_id, access_mode, owner_node_id,"
					+ " created_ts, key_hash_sealed) VALUES(?,?,?,?,?,?) ON CONFLICT(circle_id, channel_id) DO UPDATE SET"
					+ " access_mode=excluded.access_mode, owner_node_id=excluded.owner_node_id,"
					+ " created_ts=excluded.created_ts, key_hash_sealed=excluded.key_hash_sealed");
			ps.setString(1, circleId);
			ps.setString(2, channelId);
			ps.setString(3, channel.accessMode().wire());
			ps.setString(4, channel.ownerNodeId());
			ps.setLong(5, channel.createdTs());
			ps.setBytes(6, keyHash);
			ps.executeUpdate();
			replaceSet(s, "channel_members", circleId, channelId, channel.members());
			replaceSet(s, "channel_requests", circleId, channelId, channel.pendingRequests());
			return null;
		});
	}

	private static void replaceSet(Session s, String table, String circleId, String channelId, Set<String> nodes)
			throws SQLException {
		PreparedStatement del = s.prepare("DELETE FROM " + table + " WHERE circle_id=? AND channel_id=?");
		del.setString(1, circleId);
		del.setString(2, channelId);
		del.executeUpdate();
		PreparedStatement ins = s.prepare("INSERT INTO " + table + "(circle_id, channel_id, node_id) VALUES(?,?,?)");
		for (String node : nodes) {
			ins.setString(1, circleId);
			ins.setString(2, channelId);
			ins.setString(3, requireId(node, "node id in " + table));
			ins.executeUpdate();
		}
	}

	@Override
	public Optional<Channel> channel(String circleId, String channelId) {
		return readChannels(circleId, channelId).stream().findFirst();
	}

	@Override
	public List<Channel> channels(String circleId) {
		return readChannels(circleId, null);
	}

	private List<Channel> readChannels(String circleId, String onlyChannel) {
		return db.read("reading the channels of " + circleId, s -> {
			PreparedStatement ps = s.prepare(onlyChannel == null
					? "SELECT channel_id, access_mode, owner_node_id, created_ts, key_hash_sealed FROM channels"
							+ " WHERE circle_id=? ORDER BY channel_id"
					: "SELECT channel_id, access_mode, owner_node_id, created_ts, key_hash_sealed FROM channels"
							+ " WHERE circle_id=? AND channel_id=?");
			ps.setString(1, circleId);
			if (onlyChannel != null) {
				ps.setString(2, onlyChannel);
			}
			record Row(String id, String mode, String owner, long created, byte[] keyHash) {
			}
			List<Row> rows = new ArrayList<>();
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getBytes(5)));
				}
			}
			List<Channel> out = new ArrayList<>(rows.size());
			for (Row r : rows) {
				String name = "channel " + circleId + "/" + r.id();
				AccessMode mode = switch (r.mode().toLowerCase(Locale.ROOT)) {
				case "public" -> AccessMode.PUBLIC;
				case "key" -> AccessMode.KEY;
				case "invite" -> AccessMode.INVITE;
				default -> throw new StoreException("Malformed stored " + name + ": access mode '" + r.mode()
						+ "' is none of public, key, invite. The row was left as it is.");
				};
				String keyHash = open(r.keyHash(), keyHashAad(circleId, r.id()), "key hash of " + name);
				out.add(new Channel(circleId, r.id(), mode, r.owner(), r.created(), keyHash,
						nodeSet(s, "channel_members", circleId, r.id()), nodeSet(s, "channel_requests", circleId, r.id())));
			}
			return out;
		});
	}

	private static Set<String> nodeSet(Session s, String table, String circleId, String channelId) throws SQLException {
		PreparedStatement ps = s.prepare("SELECT node_id FROM " + table + " WHERE circle_id=? AND channel_id=?"
				+ " ORDER BY node_id");
		ps.setString(1, circleId);
		ps.setString(2, channelId);
		Set<String> out = new LinkedHashSet<>();
		try (ResultSet rs = ps.executeQuery()) {
			while (rs.next()) {
				out.add(rs.getString(1));
			}
		}
		return out;
	}

	// ---- members and peers

	@Override
	public void addMember(String circleId, String nodeId) {
		requireId(circleId, "circle id");
		requireId(nodeId, "node id");
		db.write("adding member " + nodeId + " to " + circleId, s -> insertMember(s, circleId, nodeId));
	}

	private static int insertMember(Session s, String circleId, String nodeId) throws SQLException {
		PreparedStatement ps = s.prepare("INSERT INTO circle_members(circle_id, node_id) VALUES(?,?)"
				+ " ON CONFLICT DO NOTHING");
		ps.setString(1, circleId);
		ps.setString(2, nodeId);
		return ps.executeUpdate();
	}

	@Override
	public List<String> members(String circleId) {
		return db.read("listing the members of " + circleId, s -> {
			PreparedStatement ps = s.prepare("SELECT node_id FROM circle_members WHERE circle_id=? ORDER BY node_id");
			ps.setString(1, circleId);
			List<String> out = new ArrayList<>();
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					out.add(rs.getString(1));
				}
			}
			return out;
		});
	}

	/**
	 * The reference's merge (protocol §4.8): the node becomes a member of the circle, and its record is inserted,
	 * or replaced when the incoming {@code last_seen} is strictly newer. Both in one transaction.
	 */
	@Override
	public void mergePeer(String circleId, Peer peer) {
		Objects.requireNonNull(peer, "peer");
		requireId(circleId, "circle id");
		requireId(peer.nodeId(), "peer node id");
		requireId(peer.addr(), "peer address");
		db.transaction("merging peer " + peer.nodeId(), s -> {
			insertMember(s, circleId, peer.nodeId());
			PreparedStatement ps = s.prepare("INSERT INTO peers(node_id, addr, last_seen) VALUES(?,?,?)"
					+ " ON CONFLICT(node_id) DO UPDATE SET addr=excluded.addr, last_seen=excluded.last_seen"
					+ " WHERE excluded.last_seen > peers.last_seen");
			ps.setString(1, peer.nodeId());
			ps.setString(2, peer.addr());
			ps.setLong(3, peer.lastSeen());
			return ps.executeUpdate();
		});
	}

	@Override
	public List<Peer> peers(String circleId) {
		return db.read("listing the peers of " + circleId, s -> {
			PreparedStatement ps = s.prepare("SELECT p.node_id, p.addr, p.last_seen FROM circle_members m"
					+ " JOIN peers p ON p.node_id = m.node_id WHERE m.circle_id=? ORDER BY p.last_seen DESC, p.node_id");
			ps.setString(1, circleId);
			List<Peer> out = new ArrayList<>();
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					out.add(new Peer(rs.getString(1), rs.getString(2), rs.getLong(3)));
				}
			}
			return out;
		});
	}

	// ---- live display names

	@Override
	public void setDisplayName(String circleId, String nodeId, String displayName) {
		requireId(circleId, "circle id");
		requireId(nodeId, "node id");
		Objects.requireNonNull(displayName, "display name");
		byte[] sealed = sealer.sealString(displayName, displayNameAad(circleId, nodeId));
		db.write("storing the display name of " + nodeId, s -> {
			PreparedStatement ps = s.prepare("INSERT INTO display_names(circle_id, node_id, name_sealed) VALUES(?,?,?)"
					+ " ON CONFLICT(circle_id, node_id) DO UPDATE SET name_sealed=excluded.name_sealed");
			ps.setString(1, circleId);
			ps.setString(2, nodeId);
			ps.setBytes(3, sealed);
			return ps.executeUpdate();
		});
	}

	@Override
	public Optional<String> displayName(String circleId, String nodeId) {
		byte[] sealed = db.read("reading the display name of " + nodeId, s -> {
			PreparedStatement ps = s.prepare("SELECT name_sealed FROM display_names WHERE circle_id=? AND node_id=?");
			ps.setString(1, circleId);
			ps.setString(2, nodeId);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next() ? rs.getBytes(1) : null;
			}
		});
		return sealed == null ? Optional.empty()
				: Optional.of(open(sealed, displayNameAad(circleId, nodeId),
						"display name of node " + nodeId + " in circle " + circleId));
	}

	// ---- anchors

	@Override
	public void putAnchor(AnchorRecord record) {
		Objects.requireNonNull(record, "anchor record");
		requireId(record.circleId(), "circle id");
		requireId(record.nodeId(), "anchor node id");
		db.write("storing the anchor record of " + record.nodeId(), s -> {
			PreparedStatement ps = s.prepare("INSERT INTO anchors(circle_id, node_id, can_anchor, public_reachable,"
					+ " is_mobile, announced_at, last_seen_ts) VALUES(?,?,?,?,?,?,?) ON CONFLICT(circle_id, node_id)"
					+ " DO UPDATE SET can_anchor=excluded.can_anchor, public_reachable=excluded.public_reachable,"
					+ " is_mobile=excluded.is_mobile, announced_at=excluded.announced_at,"
					+ " last_seen_ts=excluded.last_seen_ts");
			ps.setString(1, record.circleId());
			ps.setString(2, record.nodeId());
			ps.setInt(3, record.canAnchor() ? 1 : 0);
			ps.setInt(4, record.publicReachable() ? 1 : 0);
			ps.setInt(5, record.isMobile() ? 1 : 0);
			ps.setLong(6, record.announcedAt());
			ps.setLong(7, record.lastSeenTs());
			return ps.executeUpdate();
		});
	}

	@Override
	public List<AnchorRecord> anchors(String circleId) {
		return db.read("listing the anchors of " + circleId, s -> {
			PreparedStatement ps = s.prepare("SELECT node_id, can_anchor, public_reachable, is_mobile, announced_at,"
					+ " last_seen_ts FROM anchors WHERE circle_id=? ORDER BY node_id");
			ps.setString(1, circleId);
			List<AnchorRecord> out = new ArrayList<>();
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					out.add(new AnchorRecord(circleId, rs.getString(1), rs.getInt(2) != 0, rs.getInt(3) != 0,
							rs.getInt(4) != 0, rs.getLong(5), rs.getLong(6)));
				}
			}
			return out;
		});
	}

	// ---- settings

	@Override
	public Optional<String> setting(String key) {
		requireId(key, "setting key");
		byte[] sealed = db.read("reading setting " + key, s -> {
			PreparedStatement ps = s.prepare("SELECT value_sealed FROM settings WHERE key=?");
			ps.setString(1, key);
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next() ? rs.getBytes(1) : null;
			}
		});
		return sealed == null ? Optional.empty() : Optional.of(open(sealed, settingAad(key), "setting " + key));
	}

	@Override
	public void putSetting(String key, String value) {
		requireId(key, "setting key");
		Objects.requireNonNull(value, "setting value");
		byte[] sealed = sealer.sealString(value, settingAad(key));
		db.durableTransaction("storing setting " + key, s -> {
			PreparedStatement ps = s.prepare("INSERT INTO settings(key, value_sealed) VALUES(?,?)"
					+ " ON CONFLICT(key) DO UPDATE SET value_sealed=excluded.value_sealed");
			ps.setString(1, key);
			ps.setBytes(2, sealed);
			return ps.executeUpdate();
		});
	}

	// ---- sealing helpers

	private String open(byte[] sealed, byte[] aad, String what) {
		try {
			return sealer.openString(sealed, aad);
		} catch (SealedValueException e) {
			throw new StoreException("Cannot decrypt the stored " + what + ": " + e.getMessage()
					+ ". The row was left as it is.", e);
		}
	}

	private static byte[] circleNameAad(String circleId) {
		return Sealer.aad("circle_name", circleId);
	}

	private static byte[] keyHashAad(String circleId, String channelId) {
		return Sealer.aad("channel_key_hash", circleId, channelId);
	}

	private static byte[] displayNameAad(String circleId, String nodeId) {
		return Sealer.aad("display_name", circleId, nodeId);
	}

	private static byte[] settingAad(String key) {
		return Sealer.aad("setting", key);
	}

	private static String orEmpty(String s) {
		return s == null ? "" : s;
	}

	static String requireId(String value, String what) {
		if (value == null || value.isEmpty()) {
			throw new IllegalArgumentException("The " + what + " is empty");
		}
		return value;
	}
}
