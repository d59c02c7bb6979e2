package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunLifecycle;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import dev.berth.testsupport.PostgresDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared SQL rules (R__00_berth_rules.sql) against their Java definitions, and the R__ files' re-runs. */
class StoreRulesTest {
    private static final List<String> REPEATABLE = List.of("R__00_berth_rules.sql", "R__10_run_submit.sql",
            "R__20_step_commit.sql", "R__30_teams_hand_over.sql", "R__40_run_cancel_and_expiry.sql",
            "R__50_log_and_memory_triggers.sql", "R__60_idempotency_keys.sql", "R__70_quotas.sql",
            "R__75_count_quotas.sql", "R__85_budgets.sql", "R__90_session_kill.sql", "R__95_audit.sql",
            "R__96_history_items.sql");

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
            // Then it is live exactly when Java's RunStatus.live() lists it (the statuses that are not
            // terminal), and parked when live but not running
            assertThat(live).as(status.wire()).isEqualTo(String.valueOf(RunStatus.live().contains(status)));
            assertThat(live).as(status.wire()).isEqualTo(String.valueOf(!status.terminal()));
            assertThat(parked).as(status.wire())
                    .isEqualTo(String.valueOf(RunStatus.live().contains(status) && status != RunStatus.RUNNING));
        }
        // and the SQL list is Java's list, nothing more
        assertThat(store.query("select string_agg(s, ',' order by s) from unnest(berth_live_statuses()) s"))
                .isEqualTo(String.join(",", RunStatus.live().stream().map(RunStatus::wire).sorted().toList()));
    }

    @Test
    void theStepCommitReleasesTheLeaseExactlyForTheStatusesJavaSaysRelease() {
        List<RunStatus> reached = RunLifecycle.transitions().stream()
                .filter(row -> row.from() == RunStatus.RUNNING && row.event().isStep())
                .map(RunLifecycle.Transition::to).distinct().toList();
        for (RunStatus status : reached) {
            // Given a claimed run, When its owner commits a step to this status
            UUID session = store.session("enqueue");
            Run run = store.submit(session, "hi");
            ClaimedRun claimed = store.claim(run.id());
            store.runs.commit(claimed.lease(), StepCommit.to(status).build(), StoreFixture.LEASE)
                    .await().atMost(StoreFixture.WAIT);
            // Then berth_commit_step gave the lease up exactly when RunStatus.releasesLease() says so
            assertThat(store.query("select (lease_owner is null and lease_expires_at is null)::text from runs"
                    + " where id = '" + run.id() + "'")).as(status.wire()).isEqualTo(String.valueOf(status.releasesLease()));
        }
        // and every status a step reaches was checked: the running one keeps it, the ones that end or park release it
        assertThat(reached).contains(RunStatus.RUNNING, RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED,
                RunStatus.REQUIRES_ACTION, RunStatus.WAITING);
    }

    @Test
    void theRepeatableMigrationsRunAgainWithoutHarmAndAFlywayRerunChangesNothing() throws Exception {
        // Given a migrated database, When every R__ file runs again, in order, as Flyway would after a change
        try (Connection sql = store.database.connect()) {
            for (String file : REPEATABLE) {
                sql.createStatement().execute(resource(file));
            }
        }
        // Then the functions are still there, once each (the step commit also in V8's positional form,
        // for processes of the previous release during a rolling update), and Flyway has nothing left to apply
        assertThat(store.query("select string_agg(pg_get_function_identity_arguments(oid), ' | ' order by pronargs)"
                + " from pg_proc where proname = 'berth_commit_step'")).startsWith("p_step jsonb | p_run uuid");
        assertThat(store.query("select count(*) from pg_proc where proname like 'berth\\_%' group by proname"
                + " order by count(*) desc limit 1")).isEqualTo("2");
        // (the submission also in its form without run options, for the previous release: R__10, ADR 0036)
        assertThat(store.query("select string_agg(pg_get_function_identity_arguments(oid), ' | ' order by pronargs)"
                + " from pg_proc where proname = 'berth_submit'")).endsWith("p_payload text, p_options text");
        assertThat(store.query("select count(*) from pg_proc where proname in ('berth_submit', 'berth_hand_over',"
                + " 'berth_cancel_run', 'berth_expire_sessions', 'berth_is_live', 'berth_wake_parent')")).isEqualTo("7");
        var result = Flyway.configure().dataSource(store.database.jdbcUrl(), "postgres", "").load().migrate();
        assertThat(result.migrationsExecuted).isZero();
        // and the repeatable ones ran after every versioned one, the shared rules first
        assertThat(store.query("select string_agg(script, ',' order by installed_rank) from flyway_schema_history"
                + " where version is null")).isEqualTo(String.join(",", REPEATABLE));
    }

    @Test
    void aDatabaseThatAppliedTheFirstV8MigratesAfterARepair() throws Exception {
        // Given a database migrated when V8 was still its first version (V8__hand_over_in_step.sql,
        // changed in place later), as an operator's database of that time is
        Path history = Files.createTempDirectory("berth-first-v8");
        for (String file : List.of("V1__schema.sql", "V2__leases_tool_starts_session_expiry.sql", "V3__run_actions.sql",
                "V4__memory.sql", "V5__teams.sql", "V7__one_statement_steps.sql")) {
            Files.writeString(history.resolve(file), resource("/db/migration/" + file));
        }
        Files.writeString(history.resolve("V8__hand_over_in_step.sql"), resource("/db/first-v8/V8__hand_over_in_step.sql"));
        try (PostgresDatabase old = PostgresDatabase.create()) {
            Flyway.configure().dataSource(old.jdbcUrl(), "postgres", "").locations("filesystem:" + history).load().migrate();
            Flyway current = Flyway.configure().dataSource(old.jdbcUrl(), "postgres", "").load();

            // When this release starts on it, Then Flyway refuses: version 8 is not the one it knows
            assertThatThrownBy(current::migrate).isInstanceOf(FlywayValidateException.class)
                    .hasMessageContaining("8");

            // When the operator repairs once (flyway repair, or quarkus.flyway.repair-at-start=true)
            current.repair();
            current.migrate();

            // Then the recorded V8 is the current one, and the R__ files created today's functions
            try (Connection sql = old.connect(); var rows = sql.createStatement().executeQuery(
                    "select (select description from flyway_schema_history where version = '8'),"
                            + " (select count(*) from pg_proc where proname = 'berth_commit_step'"
                            + "   and pg_get_function_identity_arguments(oid) = 'p_step jsonb'),"
                            + " (select count(*) from pg_proc where proname in ('berth_cancel_run', 'berth_is_live'))")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("hand over and tool starts in step");
                assertThat(rows.getInt(2)).isEqualTo(1);
                assertThat(rows.getInt(3)).isEqualTo(2);
            }
        }
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = StoreRulesTest.class.getResourceAsStream(file.startsWith("/") ? file : "/db/migration/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
