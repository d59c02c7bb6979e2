package dev.berth.store;

import java.util.Locale;
import java.util.Optional;

/**
 * Which connection goes where: the one place that decides, from {@code berth.db.url},
 * {@code berth.db.direct-url} and {@code berth.db.pooler}, the URL of the reactive pool, of
 * Flyway's JDBC connection and of the LISTEN connection, and whether the reactive client may
 * keep server-side prepared statements (ADR 0026).
 *
 * <p>Behind a pooler in transaction mode (PgBouncer, as Azure Database for PostgreSQL Flexible
 * Server ships on port 6432) consecutive transactions of one client connection run on different
 * server connections, so nothing may outlive a transaction: no named prepared statements, no
 * session-level locks, and no LISTEN (a notification is delivered to the server connection that
 * listened, which by then serves someone else). Flyway and LISTEN therefore use the direct URL;
 * without one, Flyway goes through the pooler without prepared statements and notifications
 * are replaced by polling ({@link #listenUrl()} is empty).
 *
 * @param url the main URL, {@code postgresql://host:port/database[?params]}: the reactive pool's
 * @param directUrl a URL that reaches PostgreSQL itself, not the pooler (empty: {@code url})
 * @param pooler what stands between Berth and PostgreSQL on {@code url}
 */
public record DatabaseRouting(String url, Optional<String> directUrl, Pooler pooler) {
    /** The names of the three settings. */
    public static final String URL = "berth.db.url";
    public static final String DIRECT_URL = "berth.db.direct-url";
    public static final String POOLER = "berth.db.pooler";

    /** What stands between Berth and PostgreSQL on the main URL. */
    public enum Pooler {
        /** PostgreSQL itself, or a pooler in session mode: a client connection is one server connection. */
        NONE,
        /** A pooler in transaction mode: each transaction may run on another server connection. */
        TRANSACTION;

        /** {@code none} or {@code transaction} (any case; blank is {@code none}); anything else is refused. */
        public static Pooler parse(String value) {
            if (value == null || value.isBlank()) {
                return NONE;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "transaction" -> TRANSACTION;
                default -> throw new IllegalArgumentException(POOLER + " must be 'none' or 'transaction', not '"
                        + value.trim() + "'");
            };
        }
    }

    public DatabaseRouting {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(URL + " is required");
        }
        directUrl = directUrl.filter(direct -> !direct.isBlank());
        if (pooler == null) {
            throw new IllegalArgumentException(POOLER + " is required");
        }
    }

    /** From the three settings as configured (null or blank: unset). */
    public static DatabaseRouting of(String url, String directUrl, String pooler) {
        return new DatabaseRouting(url, Optional.ofNullable(directUrl), Pooler.parse(pooler));
    }

    /** The reactive pool's URL: always the main one (the pooler, when there is one). */
    public String reactiveUrl() {
        return url;
    }

    /**
     * Flyway's JDBC URL: the direct one when given, else the main one. Behind a transaction pooler
     * the driver is told never to switch to named server-side statements ({@code prepareThreshold=0}),
     * in case the JDBC connection goes through it.
     */
    public String jdbcUrl() {
        String jdbc = "jdbc:" + directUrl.orElse(url);
        if (pooler == Pooler.NONE) {
            return jdbc;
        }
        return jdbc + (jdbc.contains("?") ? "&" : "?") + "prepareThreshold=0";
    }

    /** The URL of the LISTEN connection; empty when the only way in is a transaction pooler (then: polling). */
    public Optional<String> listenUrl() {
        if (directUrl.isPresent()) {
            return directUrl;
        }
        return pooler == Pooler.NONE ? Optional.of(url) : Optional.empty();
    }

    /** Whether the reactive client may cache named server-side prepared statements on its connections. */
    public boolean serverSidePreparedStatements() {
        return pooler == Pooler.NONE;
    }
}
