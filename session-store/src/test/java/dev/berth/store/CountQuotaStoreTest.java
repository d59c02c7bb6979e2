package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.domain.NewApiKey;
import dev.berth.runtime.domain.Quota;
import dev.berth.runtime.domain.QuotaDefaults;
import dev.berth.runtime.domain.QuotaOverrides;
import dev.berth.runtime.domain.QuotaUse;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.TenantQuotaState;
import dev.berth.runtime.error.QuotaExceededException;
import dev.berth.runtime.memory.MemoryRecord;
import dev.berth.runtime.memory.NewMemory;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Count quotas (R__75_count_quotas.sql: the usage triggers and berth_check_quota) through the
 * stores that create what they count, against PostgreSQL.
 */
class CountQuotaStoreTest {
    private static final QuotaDefaults ROOMY = QuotaDefaults.all(1_000_000);

    private StoreFixture store;

    @BeforeEach
    void migrated() {
        store = new StoreFixture(8);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void twoHundredConcurrentCreatesOnEightConnectionsAgainstAQuotaOf50AdmitExactly50() {
        // Given a memory quota of 50 and 200 creations at once on 8 connections, each with its idempotency key, each
        // in a namespace of its own (a namespace's version row would otherwise queue them, hiding a missing lock)
        PgMemoryStore memories = new PgMemoryStore(store.pool, ROOMY.with(Quota.MEMORIES, 50));
        List<Uni<Boolean>> creates = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            creates.add(memories.upsert(store.tenant, inNamespace("agents/a" + i, "fact " + i), Optional.of(key("m" + i)))
                    .map(written -> true)
                    .onFailure(QuotaExceededException.class).recoverWithItem(false));
        }
        // When they all answer
        List<Boolean> admitted = Uni.join().all(creates).andFailFast().await().atMost(StoreFixture.WAIT);

        // Then exactly 50 were admitted and written, the count says 50, and no refused one kept its key
        assertThat(admitted.stream().filter(yes -> yes).count()).isEqualTo(50);
        assertThat(store.query("select count(*) from memories")).isEqualTo("50");
        assertThat(store.query("select memories from tenant_usage")).isEqualTo("50");
        assertThat(store.query("select count(*) from idempotency_keys")).isEqualTo("50");
    }

    @Test
    void aRefusedCreationNamesTheQuotaItsLimitAndTheUseAndWritesNothing() {
        // Given a tenant that holds 2 keys with a key quota of 2
        PgAccessStore access = new PgAccessStore(store.pool, ROOMY.with(Quota.API_KEYS, 2));
        createKey(access, Optional.empty());
        createKey(access, Optional.empty());
        String before = store.query("select count(*) || '/' || (select count(*) from idempotency_keys) from api_keys");

        // When a third is created with an idempotency key, Then it is refused with the quota, limit and use
        assertThatThrownBy(() -> createKey(access, Optional.of(key("k3"))))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.quota()).isEqualTo(Quota.API_KEYS);
                    assertThat(e.limit()).isEqualTo(2);
                    assertThat(e.used()).isEqualTo(2);
                });
        // and nothing was written: no key, no idempotency key, the count as it was
        assertThat(store.query("select count(*) || '/' || (select count(*) from idempotency_keys) from api_keys"))
                .isEqualTo(before);
        assertThat(store.query("select api_keys from tenant_usage")).isEqualTo("2");
    }

    @Test
    void revokingAKeyDeletingAMemoryAndEndingASessionFreeTheirQuota() {
        // Given a tenant at its quotas of 1 key, 1 memory and 1 live session
        QuotaDefaults ones = ROOMY.with(Quota.API_KEYS, 1).with(Quota.MEMORIES, 1).with(Quota.LIVE_SESSIONS, 1);
        PgAccessStore access = new PgAccessStore(store.pool, ones);
        PgMemoryStore memories = new PgMemoryStore(store.pool, ones);
        UUID keyId = createKey(access, Optional.empty());
        MemoryRecord memory = memories.upsert(store.tenant, memory("one"), Optional.empty()).await().atMost(StoreFixture.WAIT);
        UUID session = store.session("enqueue");
        assertThatThrownBy(() -> createKey(access, Optional.empty())).isInstanceOf(QuotaExceededException.class);

        // When the key is revoked, the memory deleted and the session expired
        access.revokeKey(store.tenant, keyId).await().atMost(StoreFixture.WAIT);
        memories.delete(store.tenant, memory.id()).await().atMost(StoreFixture.WAIT);
        store.update("update sessions set status = 'expired' where id = '" + session + "'");

        // Then each has room for one again, and the counts are what the tables hold
        createKey(access, Optional.empty());
        memories.upsert(store.tenant, memory("two"), Optional.empty()).await().atMost(StoreFixture.WAIT);
        assertThat(store.query("select live_sessions || ',' || api_keys || ',' || memories || ',' || stored_bytes"
                + " from tenant_usage")).isEqualTo("0,1,1,3");
    }

    @Test
    void storedBytesCountTheContentInUtf8AndAReplacementByKeyCountsItsDifference() {
        // Given a byte quota of 10 (an é is 2 bytes)
        PgMemoryStore memories = new PgMemoryStore(store.pool, ROOMY.with(Quota.STORED_BYTES, 10));
        memories.upsert(store.tenant, keyed("k", "café"), Optional.empty()).await().atMost(StoreFixture.WAIT);
        assertThat(store.query("select stored_bytes from tenant_usage")).isEqualTo("5");

        // When the keyed record is replaced by 9 bytes, Then the tenant holds 9 (not 14) and one record
        memories.upsert(store.tenant, keyed("k", "123456789"), Optional.empty()).await().atMost(StoreFixture.WAIT);
        assertThat(store.query("select stored_bytes || ',' || memories from tenant_usage")).isEqualTo("9,1");
        // and 2 bytes more are refused, with the use before them
        assertThatThrownBy(() -> memories.upsert(store.tenant, memory("ab"), Optional.empty()).await()
                .atMost(StoreFixture.WAIT))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.used()).isEqualTo(9));
    }

    @Test
    void theTenantsOverrideWinsOverTheDefaultAndReadsBackWithTheUse() {
        // Given a default of 5 keys and an admin's override of 1, with a burst override
        PgTenantQuotas quotas = new PgTenantQuotas(store.pool);
        quotas.replace(store.tenant, new QuotaOverrides(Map.of(Quota.API_KEYS, 1L), null, 7.0))
                .await().atMost(StoreFixture.WAIT);
        PgAccessStore access = new PgAccessStore(store.pool, ROOMY.with(Quota.API_KEYS, 5));

        // When two keys are created, Then the second is refused at the override
        createKey(access, Optional.empty());
        assertThatThrownBy(() -> createKey(access, Optional.empty()))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.limit()).isEqualTo(1));

        // and the state reads the override, the use, the defaults elsewhere
        TenantQuotaState state = quotas.read(store.tenant, ROOMY.with(Quota.API_KEYS, 5), 50, 100)
                .await().atMost(StoreFixture.WAIT);
        assertThat(state.counts()).contains(new QuotaUse(Quota.API_KEYS, 1, 1, 1L),
                new QuotaUse(Quota.AGENTS, 1_000_000, 1, null));
        assertThat(state.burst()).isEqualTo(7.0);
        assertThat(state.requestsPerSecond()).isEqualTo(50.0);

        // When the overrides are replaced by none, Then the default is back
        quotas.replace(store.tenant, new QuotaOverrides(Map.of(), null, null)).await().atMost(StoreFixture.WAIT);
        createKey(access, Optional.empty());
        assertThat(store.query("select api_keys from tenant_usage")).isEqualTo("2");
    }

    private UUID createKey(PgAccessStore access, Optional<RequestKey> key) {
        UUID id = UUID.randomUUID();
        access.createKey(new NewApiKey(id, store.tenant, "k", Set.of(Role.SERVICE), null, null,
                UUID.randomUUID().toString().getBytes()), key).await().atMost(StoreFixture.WAIT);
        return id;
    }

    private static NewMemory memory(String content) {
        return keyed(null, content);
    }

    private static NewMemory keyed(String key, String content) {
        return new NewMemory(UUID.randomUUID(), "agents/a", "fact", key, content, null, null, null, null, null,
                new float[] {1f});
    }

    private static NewMemory inNamespace(String namespace, String content) {
        return new NewMemory(UUID.randomUUID(), namespace, "fact", null, content, null, null, null, null, null,
                new float[] {1f});
    }

    private static RequestKey key(String value) {
        return new RequestKey(value, "fp-" + value, Duration.ofHours(1), Duration.ofSeconds(10));
    }
}
