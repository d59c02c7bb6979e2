package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berth_claim_key and berth_bind_key (R__60_idempotency_keys.sql) and berth_submit_keyed
 * (R__10_run_submit.sql) against PostgreSQL, each statement on a JDBC connection of its own so
 * that two requests with the same key really overlap.
 */
class IdempotencyKeyStoreTest {
    private static final String ALREADY_USED = "BR010";
    private static final String STILL_IN_FLIGHT = "55P03";

    private StoreFixture store;

    @BeforeEach
    void migrated() {
        store = new StoreFixture();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aKeyIsClaimedOnceAndASecondClaimIsRefusedAsAlreadyUsed() throws SQLException {
        try (Connection first = store.database.connect(); Connection second = store.database.connect()) {
            // Given a key claimed and committed
            assertThat(claim(first, "k1", "fp-a")).isTrue();

            // When the same key is claimed again, with any fingerprint
            SQLException refused = catchThrowableOfType(SQLException.class, () -> claim(second, "k1", "fp-a"));

            // Then it is refused as already used and the first claim's row is unchanged
            assertThat(refused.getSQLState()).isEqualTo(ALREADY_USED);
            assertThat(store.query("select fingerprint from idempotency_keys where key = 'k1'")).isEqualTo("fp-a");
            assertThat(store.query("select count(*) from idempotency_keys")).isEqualTo("1");
        }
    }

    @Test
    void aClaimWaitsForTheSameKeyInFlightThenFindsItCommitted() throws SQLException {
        try (Connection first = store.database.connect(); Connection second = store.database.connect()) {
            // Given a request that claimed the key in a transaction still open
            first.setAutoCommit(false);
            assertThat(claim(first, "k2", "fp")).isTrue();

            // When a retry claims it meanwhile, it waits its bound and is told the first is in flight
            SQLException inFlight = catchThrowableOfType(SQLException.class, () -> claim(second, "k2", "fp"));
            assertThat(inFlight.getSQLState()).isEqualTo(STILL_IN_FLIGHT);

            // and once the first commits, a retry finds the key used
            first.commit();
            SQLException used = catchThrowableOfType(SQLException.class, () -> claim(second, "k2", "fp"));
            assertThat(used.getSQLState()).isEqualTo(ALREADY_USED);
        }
    }

    @Test
    void aClaimWhoseTransactionRolledBackLeavesTheKeyFree() throws SQLException {
        try (Connection first = store.database.connect(); Connection second = store.database.connect()) {
            // Given a request whose effect failed after it claimed the key
            first.setAutoCommit(false);
            claim(first, "k3", "fp-first");
            first.rollback();

            // When the client retries, the key is free and its retry claims it
            assertThat(claim(second, "k3", "fp-retry")).isTrue();
            assertThat(store.query("select fingerprint from idempotency_keys where key = 'k3'")).isEqualTo("fp-retry");
        }
    }

    @Test
    void anExpiredKeyNotYetSweptIsTakenOverAsIfItWereGone() throws SQLException {
        // Given a key past its expiry that the sweeper has not deleted yet
        store.update("insert into idempotency_keys (tenant_id, key, fingerprint, kind, resource, expires_at)"
                + " values ('" + store.tenant + "', 'k4', 'old', 'session', 'x', now() - interval '1 second')");

        // When a new request claims it
        try (Connection connection = store.database.connect()) {
            assertThat(claim(connection, "k4", "new")).isTrue();
        }

        // Then the row is the new request's, kept afresh
        assertThat(store.query("select fingerprint || ',' || (resource is null) || ',' || (expires_at > now())"
                + " from idempotency_keys where key = 'k4'")).isEqualTo("new,true,true");
    }

    @Test
    void bindKeyNamesWhatTheRequestCreated() throws SQLException {
        try (Connection connection = store.database.connect()) {
            claim(connection, "k5", "fp");
            try (PreparedStatement bind = connection.prepareStatement("select berth_bind_key(?, ?, ?)")) {
                bind.setObject(1, store.tenant.value());
                bind.setString(2, "k5");
                bind.setString(3, "agent-version:7");
                bind.executeQuery().close();
            }
        }
        assertThat(store.query("select resource from idempotency_keys where key = 'k5'")).isEqualTo("agent-version:7");
    }

    @Test
    void aKeyedSubmissionRetriedAfterItsCommitWritesNoSecondInputOrRun() throws SQLException {
        // Given a keyed submission that committed (the answer may have been lost on the way back)
        UUID session = store.session("enqueue");
        UUID run = UUID.randomUUID();
        try (Connection connection = store.database.connect()) {
            assertThat(submitKeyed(connection, session, run, "m1")).isEqualTo(run.toString());

            // When the client retries it with the same key (a new run id, as a new request would have)
            SQLException used = catchThrowableOfType(SQLException.class,
                    () -> submitKeyed(connection, session, UUID.randomUUID(), "m1"));

            // Then the retry is told the key is used and nothing more was written
            assertThat(used.getSQLState()).isEqualTo(ALREADY_USED);
        }
        assertThat(store.query("select count(*) from runs where session_id = '" + session + "'")).isEqualTo("1");
        assertThat(store.types(session)).isEqualTo("user_message");
        assertThat(store.query("select kind || ':' || resource from idempotency_keys where key = 'm1'"))
                .isEqualTo("run:" + run);
    }

    private boolean claim(Connection connection, String key, String fingerprint) throws SQLException {
        try (PreparedStatement claim = connection.prepareStatement(
                "select berth_claim_key(?, ?, ?, 'session', null, 3600, 300)")) {
            claim.setObject(1, store.tenant.value());
            claim.setString(2, key);
            claim.setString(3, fingerprint);
            try (ResultSet row = claim.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private String submitKeyed(Connection connection, UUID session, UUID run, String key) throws SQLException {
        try (PreparedStatement submit = connection.prepareStatement(
                "select id from berth_submit_keyed(?, ?, ?, 'user_message', '{\"text\":\"hi\"}', ?, 'fp', 3600, 300)")) {
            submit.setObject(1, session);
            submit.setObject(2, store.tenant.value());
            submit.setObject(3, run);
            submit.setString(4, key);
            try (ResultSet row = submit.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
