package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditEntry;
import dev.berth.runtime.domain.AuditOutcome;
import dev.berth.runtime.domain.AuditQuery;
import dev.berth.runtime.domain.AuditRecord;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** audit_log (V17) and its triggers (R__95_audit.sql) through {@link PgAuditTrail}, against PostgreSQL. */
class AuditTrailStoreTest {
    private StoreFixture store;
    private PgAuditTrail audit;

    @BeforeEach
    void migrated() {
        store = new StoreFixture(2);
        audit = new PgAuditTrail(store.pool);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void updateDeleteAndTruncateAreRefusedWhoeverAsks() {
        // Given a recorded row
        record(store.tenant, AuditAction.KEY_REVOKE, "k1");

        // When raw SQL tries to change it, remove it, or empty the table, Then every attempt is refused
        assertThatThrownBy(() -> store.update("update audit_log set principal = 'someone-else'"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> store.update("delete from audit_log")).hasMessageContaining("append-only");
        assertThatThrownBy(() -> store.update("truncate audit_log")).hasMessageContaining("append-only");
        // and the row is as it was
        assertThat(store.query("select count(*) || ':' || min(principal) from audit_log")).isEqualTo("1:key:me");
    }

    @Test
    void retentionRemovesOnlyOldRowsAndLeavesTheTableProtectedAfterwards() {
        // Given an old row (its time set back by a copy, the only way round the triggers) and a new one
        record(store.tenant, AuditAction.KEY_CREATE, "old");
        store.update("alter table audit_log disable trigger audit_log_no_update");
        store.update("update audit_log set at = now() - interval '500 days'");
        store.update("alter table audit_log enable trigger audit_log_no_update");
        record(store.tenant, AuditAction.KEY_CREATE, "new");

        // When retention removes what is older than 400 days
        long removed = audit.expire(Instant.now().minusSeconds(400L * 86_400)).await().indefinitely();

        // Then the old row is gone, the new one stays, and a plain DELETE is refused again in the same session
        assertThat(removed).isEqualTo(1);
        assertThat(store.query("select string_agg(target_id, ',') from audit_log")).isEqualTo("new");
        assertThatThrownBy(() -> store.update("begin; select berth_audit_expire(now() - interval '1 day');"
                + " delete from audit_log; commit")).hasMessageContaining("append-only");
        assertThat(store.query("select count(*) from audit_log")).isEqualTo("1");
    }

    @Test
    void pagesNewestFirstWithACursorAndFiltersByActionPrincipalTargetAndTime() {
        // Given 5 key creations and 2 revocations in this tenant, and one row of another tenant
        for (int i = 0; i < 5; i++) {
            record(store.tenant, AuditAction.KEY_CREATE, "c" + i);
        }
        record(store.tenant, AuditAction.KEY_REVOKE, "r0");
        record(store.tenant, AuditAction.KEY_REVOKE, "r1");
        TenantId other = new TenantId(UUID.randomUUID());
        record(other, AuditAction.KEY_CREATE, "theirs");

        // When the tenant pages through its trail 3 at a time
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<AuditRecord> page = audit.query(new AuditQuery(store.tenant, null, null, null, null, null, null,
                    cursor, 3)).await().indefinitely();
            page.items().forEach(r -> seen.add(r.entry().target().id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);

        // Then it sees its own 7 rows, newest first, in 3 pages, and not the other tenant's
        assertThat(seen).containsExactly("r1", "r0", "c4", "c3", "c2", "c1", "c0");
        assertThat(pages).isEqualTo(3);
        // and the filters narrow it
        assertThat(targets(new AuditQuery(store.tenant, AuditAction.KEY_REVOKE, null, null, null, null, null, null, 10)))
                .containsExactly("r1", "r0");
        assertThat(targets(new AuditQuery(store.tenant, null, "key:me", "api-key", "c2", null, null, null, 10)))
                .containsExactly("c2");
        assertThat(targets(new AuditQuery(store.tenant, null, "key:other", null, null, null, null, null, 10))).isEmpty();
        Instant now = Instant.now();
        assertThat(targets(new AuditQuery(store.tenant, null, null, null, null, now.plusSeconds(60), null, null, 10)))
                .isEmpty();
        assertThat(targets(new AuditQuery(store.tenant, null, null, null, null, now.minusSeconds(60), now.plusSeconds(60),
                null, 10))).hasSize(7);
        // and the stored row is what was recorded
        AuditRecord row = audit.query(new AuditQuery(store.tenant, null, null, null, "r1", null, null, null, 1))
                .await().indefinitely().items().getFirst();
        assertThat(row.entry().requestId()).isEqualTo("req-r1");
        assertThat(row.entry().outcome()).isEqualTo(AuditOutcome.SUCCEEDED);
        assertThat(row.entry().digest()).isEqualTo(AuditEntry.digestOf("r1"));
    }

    private List<String> targets(AuditQuery query) {
        return audit.query(query).await().indefinitely().items().stream().map(r -> r.entry().target().id()).toList();
    }

    private void record(TenantId tenant, AuditAction action, String target) {
        audit.record(new AuditEntry(tenant, "key:me", action, new AuditTarget("api-key", target), "req-" + target,
                AuditOutcome.SUCCEEDED, AuditEntry.digestOf(target))).await().indefinitely();
    }
}
