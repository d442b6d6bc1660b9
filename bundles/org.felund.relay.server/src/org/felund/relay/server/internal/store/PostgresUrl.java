package org.felund.relay.server.internal.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * A PostgreSQL connection URL as {@code psql} and libpq write it ({@code postgresql://user:password@host:port/db
 * ?param=value}) or as pgJDBC does ({@code jdbc:postgresql://host:port/db?user=…}), turned into what the JDBC
 * driver needs. User and password may be percent-encoded; query parameters go to the driver unchanged
 * ({@code sslmode}, {@code currentSchema}, …). Without a password in the URL the driver reads
 * {@code ~/.pgpass} (or {@code PGPASSFILE}).
 *
 * @param jdbcUrl    {@code jdbc:postgresql://host:port/db?…} without credentials
 * @param properties user and password (when given), plus the relay's connection defaults
 * @param display    the URL without its password, for logs and errors
 */
record PostgresUrl(String jdbcUrl, Properties properties, String display) {

	static PostgresUrl parse(String url) {
		String u = url.trim();
		Properties props = new Properties();
		if (u.regionMatches(true, 0, "jdbc:postgresql:", 0, 16)) {
			return new PostgresUrl(u, withDefaults(props), u.replaceAll("(?i)(password=)[^&]*", "$1***"));
		}
		String lower = u.toLowerCase(Locale.ROOT);
		String rest;
		if (lower.startsWith("postgresql://")) {
			rest = u.substring("postgresql://".length());
		} else if (lower.startsWith("postgres://")) {
			rest = u.substring("postgres://".length());
		} else {
			throw new IllegalArgumentException("not a PostgreSQL URL (postgresql://user:password@host:port/database): "
					+ u);
		}
		String query = "";
		int q = rest.indexOf('?');
		if (q >= 0) {
			query = rest.substring(q + 1);
			rest = rest.substring(0, q);
		}
		int at = rest.lastIndexOf('@');
		String userInfo = at >= 0 ? rest.substring(0, at) : null;
		String hostPart = at >= 0 ? rest.substring(at + 1) : rest;
		String displayUser = "";
		if (userInfo != null && !userInfo.isEmpty()) {
			int colon = userInfo.indexOf(':');
			String user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
			if (!user.isEmpty()) {
				props.setProperty("user", user);
			}
			if (colon >= 0) {
				props.setProperty("password", decode(userInfo.substring(colon + 1)));
			}
			displayUser = userInfo.substring(0, colon >= 0 ? colon : userInfo.length()) + (colon >= 0 ? ":***" : "")
					+ "@";
		}
		int slash = hostPart.indexOf('/');
		String hosts = slash >= 0 ? hostPart.substring(0, slash) : hostPart;
		String database = slash >= 0 ? decode(hostPart.substring(slash + 1)) : "";
		if (hosts.isEmpty()) {
			hosts = "localhost";
		}
		if (database.isEmpty()) {
			database = props.getProperty("user", "postgres");
		}
		StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hosts).append('/').append(database);
		if (!query.isEmpty()) {
			jdbc.append('?').append(query);
		}
		String display = "postgresql://" + displayUser + hosts + "/" + database + (query.isEmpty() ? "" : "?" + query);
		return new PostgresUrl(jdbc.toString(), withDefaults(props), display.replaceAll("(?i)(password=)[^&]*", "$1***"));
	}

	/** Timeouts that let a relay notice an unreachable database instead of hanging its threads. */
	private static Properties withDefaults(Properties p) {
		p.putIfAbsent("ApplicationName", "felund-relay");
		p.putIfAbsent("connectTimeout", "5");
		p.putIfAbsent("loginTimeout", "10");
		p.putIfAbsent("socketTimeout", "30");
		p.putIfAbsent("tcpKeepAlive", "true");
		return p;
	}

	private static String decode(String s) {
		return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
	}
}
