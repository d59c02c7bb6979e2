package dev.berth.store;

import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.KeyedRequest;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.error.InProgressException;
import dev.berth.runtime.error.KeyTakenException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.Submission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys through the store's Java side (PgRunStore, KeyClaims, PgIdempotencyKeys; the SQL
 * alone is IdempotencyKeyStoreTest; ADR
 * 0024): a key is claimed in the transaction of its effect, first, so the two commit together or
 * not at all; a key used before is refused without an effect; a key held by a transaction in
 * flight is waited for, boundedly; an expired key is free again and swept.
 */
class KeyedSubmissionStoreTest {
    private static final Duration TTL = Duration.ofHours(1);
    private StoreFixture store;
    private PgIdempotencyKeys keys;

    @BeforeEach
    void migrated() {
        store = new StoreFixture();
        keys = new PgIdempotencyKeys(store.pool);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aKeyedSubmissionStoresTheKeyWithItsRunAndAKeyUsedBeforeMakesNoInput() {
        // Given a submission with a key
        UUID session = store.session("enqueue");
        RequestKey key = new RequestKey("k1", "print-1", TTL, Duration.ofSeconds(1));
        Run run = submit(session, "hello", key);

        // Then the key names the run, and expires after its TTL
        Optional<KeyedRequest> found = keys.find(store.tenant, "k1").await().atMost(WAIT);
        assertThat(found).get().satisfies(keyed -> {
            assertThat(keyed.kind()).isEqualTo("run");
            assertThat(keyed.resource()).isEqualTo(run.id().toString());
            assertThat(keyed.fingerprint()).isEqualTo("print-1");
        });
        assertThat(store.query("select (expires_at - created_at)::text from idempotency_keys")).isEqualTo("01:00:00");

        // When the key comes again (any fingerprint), Then it is refused and no input is added
        Throwable again = catchThrowable(() -> submit(session, "hello", key));
        assertThat(again).isInstanceOf(KeyTakenException.class);
        assertThat(store.query("select count(*)::text from events")).isEqualTo("1");
        assertThat(store.query("select count(*)::text from runs")).isEqualTo("1");
    }

    @Test
    void aSubmissionThatFailsLeavesItsKeyFree() {
        // Given a submission to a session that does not exist
        RequestKey key = new RequestKey("k2", "print-2", TTL, Duration.ofSeconds(1));
        Throwable failed = catchThrowable(() -> submit(UUID.randomUUID(), "hello", key));

        // Then it fails as without a key, and the key was rolled back with it
        assertThat(failed).isInstanceOf(NotFoundException.class);
        assertThat(store.query("select count(*)::text from idempotency_keys")).isEqualTo("0");
        assertThat(submit(store.session("enqueue"), "hello", key).id()).isNotNull();
    }

    @Test
    void aKeyHeldByARequestInFlightIsWaitedForThenRefusedAsInProgress() throws Exception {
        UUID session = store.session("enqueue");
        RequestKey key = new RequestKey("k3", "print-3", TTL, Duration.ofMillis(300));
        try (Connection held = store.database.connect()) {
            // Given another request holding the key in its open transaction
            held.setAutoCommit(false);
            held.createStatement().execute("select berth_claim_key('" + store.tenant + "', 'k3', 'other', 'run', null,"
                    + " 3600, 1000)");
            // whose own statements after the claim are not bounded by the claim's wait
            try (ResultSet setting = held.createStatement().executeQuery("show lock_timeout")) {
                setting.next();
                assertThat(setting.getString(1)).isEqualTo("0");
            }

            // When a submission with the key comes, Then it gives up after its wait, having written nothing
            long started = System.nanoTime();
            Throwable busy = catchThrowable(() -> submit(session, "hello", key));
            assertThat(busy).isInstanceOf(InProgressException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(store.query("select count(*)::text from events")).isEqualTo("0");
            held.rollback();
        }
        // and once the other request is gone (rolled back), the key is free
        assertThat(submit(session, "hello", key).id()).isNotNull();
    }

    @Test
    void anExpiredKeyIsFreeAgainAndSwept() {
        // Given a key past its expiry
        UUID session = store.session("enqueue");
        RequestKey key = new RequestKey("k4", "print-4", TTL, Duration.ofSeconds(1));
        Run first = submit(session, "hello", key);
        store.update("update idempotency_keys set expires_at = now() - interval '1 second'");

        // Then it is not found, and a claim takes it over
        assertThat(keys.find(store.tenant, "k4").await().atMost(WAIT)).isEmpty();
        Run second = submit(session, "hello", key);
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(keys.find(store.tenant, "k4").await().atMost(WAIT)).get()
                .extracting(KeyedRequest::resource).isEqualTo(second.id().toString());

        // and the sweeper deletes expired keys only
        store.update("insert into idempotency_keys (tenant_id, key, fingerprint, kind, resource, expires_at)"
                + " values ('" + store.tenant + "', 'old', 'p', 'run', 'r', now() - interval '1 second')");
        assertThat(keys.deleteExpired(100).await().atMost(WAIT)).isEqualTo(1);
        assertThat(store.query("select string_agg(key, ',') from idempotency_keys")).isEqualTo("k4");
    }

    private Run submit(UUID session, String text, RequestKey key) {
        return store.runs.submit(new Submission(store.tenant, session, UUID.randomUUID(),
                new NewEvent(EventType.USER_MESSAGE, DocumentJson.object().put("text", text)), Optional.of(key)))
                .await().atMost(WAIT);
    }
}
