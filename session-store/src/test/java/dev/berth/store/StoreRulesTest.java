package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.domain.RunStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared SQL rules (R__00_berth_rules.sql) against their Java definitions, and the R__ files' re-runs. */
class StoreRulesTest {
    private static final List<String> REPEATABLE = List.of("R__00_berth_rules.sql", "R__10_run_submit.sql",
            "R__20_step_commit.sql", "R__30_teams_hand_over.sql", "R__40_run_cancel_and_expiry.sql",
            "R__50_log_and_memory_triggers.sql");

    private static StoreFixture store;

    @BeforeAll
    static void migrated() {
        store = new StoreFixture(1);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void sqlAndJavaAgreeOnWhichStatusesAreLiveForEveryStatus() {
        for (RunStatus status : RunStatus.values()) {
            // Given a status, When PostgreSQL's berth_is_live judges it
            String live = store.query("select berth_is_live('" + status.wire() + "')::text");
            String parked = store.query("select berth_is_parked('" + status.wire() + "')::text");
            // Then it is live exactly when Java calls it not terminal, and parked when live but not running
            assertThat(live).as(status.wire()).isEqualTo(String.valueOf(!status.terminal()));
            assertThat(parked).as(status.wire()).isEqualTo(String.valueOf(!status.terminal() && status != RunStatus.RUNNING));
        }
        // and the list names no status the runs table does not allow
        assertThat(store.query("select count(*) from unnest(berth_live_statuses()) s"))
                .isEqualTo(String.valueOf(List.of(RunStatus.values()).stream().filter(s -> !s.terminal()).count()));
    }

    @Test
    void theRepeatableMigrationsRunAgainWithoutHarmAndAFlywayRerunChangesNothing() throws Exception {
        // Given a migrated database, When every R__ file runs again, in order, as Flyway would after a change
        try (Connection sql = store.database.connect()) {
            for (String file : REPEATABLE) {
                sql.createStatement().execute(resource(file));
            }
        }
        // Then the functions are still there, once each, and Flyway has nothing left to apply
        assertThat(store.query("select count(*) from pg_proc where proname = 'berth_commit_step'")).isEqualTo("1");
        assertThat(store.query("select pg_get_function_identity_arguments('berth_commit_step'::regproc)"))
                .isEqualTo("p_step jsonb");
        var result = Flyway.configure().dataSource(store.database.jdbcUrl(), "postgres", "").load().migrate();
        assertThat(result.migrationsExecuted).isZero();
        // and the repeatable ones ran after every versioned one, the shared rules first
        assertThat(store.query("select string_agg(script, ',' order by installed_rank) from flyway_schema_history"
                + " where version is null")).isEqualTo(String.join(",", REPEATABLE));
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = StoreRulesTest.class.getResourceAsStream("/db/migration/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
