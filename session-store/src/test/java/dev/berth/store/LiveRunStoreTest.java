package dev.berth.store;

import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.domain.Page;
import dev.berth.runtime.run.LiveRunOrder;
import dev.berth.runtime.run.LiveRunQuery;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PgLiveRunStore}: a tenant's live runs, keyset paged by age or cost, read through runs_by_tenant_status (V16). */
class LiveRunStoreTest {
    private static final int FINISHED = 20_000;
    private StoreFixture store;
    private PgLiveRunStore live;

    @BeforeEach
    void migrated() {
        store = new StoreFixture();
        live = new PgLiveRunStore(store.pool);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void pagesWalkEveryLiveRunOnceInOrderAndThePageReadsNoFinishedRun() {
        // Given a tenant with many finished runs and five queued ones of different cost
        UUID session = store.session("enqueue");
        store.update("insert into runs (id, tenant_id, session_id, input_seq, status, agent_name, agent_version)"
                + " select gen_random_uuid(), '" + store.tenant + "', '" + session + "', 1000 + g, 'completed', 'a', 1"
                + " from generate_series(1, " + FINISHED + ") g");
        List<UUID> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Run run = store.submit(session, "input " + i);
            store.update("update runs set input_tokens = " + (i * 10) + " where id = '" + run.id() + "'");
            queued.add(run.id());
        }
        store.update("analyze runs");

        // When both orders are walked with pages of two
        List<UUID> byAge = walk(LiveRunOrder.AGE);
        List<UUID> byCost = walk(LiveRunOrder.COST);

        // Then each lists every live run once: oldest first, costliest first
        assertThat(byAge).containsExactlyElementsOf(queued);
        assertThat(byCost).containsExactlyElementsOf(queued.reversed());
        // and a page is read through the index on tenant and status, not by scanning the tenant's finished runs
        String plan = store.query("explain (format json) " + PgLiveRunStore.BY_AGE
                .replace("$1", "'" + store.tenant + "'::uuid").replace("$2::text[]", "array['queued','running','requires_action','waiting']")
                .replace("$3", "0").replace("$4::timestamptz", "null::timestamptz").replace("$5::uuid", "null::uuid")
                .replace("$4", "null").replace("$6", "3"));
        System.out.println("live runs page plan over " + FINISHED + " finished runs: " + plan.replaceAll("\\s+", " "));
        assertThat(plan).contains("\"Index Name\": \"runs_by_tenant_status\"").doesNotContain("Seq Scan");
        // and olderThan leaves out runs younger than it
        assertThat(live.live(store.tenant, new LiveRunQuery(EnumSet.of(RunStatus.QUEUED), Duration.ofHours(1),
                LiveRunOrder.AGE, 10, null)).await().atMost(WAIT).items()).isEmpty();
    }

    private List<UUID> walk(LiveRunOrder order) {
        List<UUID> ids = new ArrayList<>();
        String cursor = null;
        do {
            Page<Run> page = live.live(store.tenant, new LiveRunQuery(EnumSet.copyOf(RunStatus.live()), Duration.ZERO,
                    order, 2, cursor)).await().atMost(WAIT);
            page.items().forEach(run -> ids.add(run.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return ids;
    }
}
