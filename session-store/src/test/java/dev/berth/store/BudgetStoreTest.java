package dev.berth.store;

import static dev.berth.store.StoreFixture.LEASE;
import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.model.Usage;
import dev.berth.runtime.domain.BudgetCap;
import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.domain.BudgetUsage;
import dev.berth.runtime.domain.BudgetWindow;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.UsageGroup;
import dev.berth.runtime.domain.UsageRow;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.run.BudgetState;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.CommittedStep;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The usage counters and budget state of berth_commit_step (R__20) and berth_budget_state (R__85),
 * the tenant's budgets and the usage report, through PgRunStore and PgBudgetStore (ADR 0032).
 */
class BudgetStoreTest {
    private StoreFixture store;
    private PgBudgetStore budgets;

    @BeforeEach
    void migrated() {
        store = new StoreFixture();
        budgets = new PgBudgetStore(store.pool);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aModelStepCountsItsTokensAndCallInTheSixWindowsAndAnswersThemInTheSameStatement() {
        // Given a claimed run, and another session's run of the same tenant and agent that spent before
        UUID other = store.session("enqueue");
        ClaimedRun earlier = store.claim(store.submit(other, "before").id());
        commit(earlier, RunStatus.COMPLETED, new Usage(100, 20, 0, 0));
        UUID session = store.session("enqueue");
        ClaimedRun claimed = store.claim(store.submit(session, "hi").id());

        // When a model step with 10 input and 5 output tokens commits
        CommittedStep committed = commit(claimed, RunStatus.RUNNING, new Usage(10, 5, 3, 1));

        // Then the answer counts it with the tenant's and agent's earlier spending, the session's alone
        BudgetState state = committed.budget();
        assertThat(state.used(BudgetWindow.TENANT_DAY)).isEqualTo(new BudgetUsage(135, 2));
        assertThat(state.used(BudgetWindow.TENANT_MONTH)).isEqualTo(new BudgetUsage(135, 2));
        assertThat(state.used(BudgetWindow.AGENT_DAY)).isEqualTo(new BudgetUsage(135, 2));
        assertThat(state.used(BudgetWindow.SESSION_DAY)).isEqualTo(new BudgetUsage(15, 1));
        assertThat(state.used(BudgetWindow.SESSION_MONTH)).isEqualTo(new BudgetUsage(15, 1));
        assertThat(state.tenantLimits()).isEqualTo(BudgetLimits.NONE);
        // and the counters hold it: one row per scope and period, keyed by the agent's name and the session's id
        assertThat(store.query("select count(*) from usage_counters")).isEqualTo("8");
        assertThat(store.query("select tokens || ':' || calls from usage_counters where scope = 'session'"
                + " and period = 'day' and scope_key = '" + session + "'")).isEqualTo("15:1");
    }

    @Test
    void aTryThatLandedBeforeIsNotCountedTwiceAndAFencedOutStepCountsNothing() {
        // Given a step that committed, whose answer was lost
        ClaimedRun claimed = store.claim(store.submit(store.session("enqueue"), "hi").id());
        StepCommit step = StepCommit.to(RunStatus.RUNNING).modelCall(new Usage(7, 3, 0, 0)).build();
        store.runs.commitStep(claimed.lease(), step, LEASE).await().atMost(WAIT);

        // When it is tried again
        CommittedStep again = store.runs.commitStepAgain(claimed.lease(), step, 0, LEASE).await().atMost(WAIT);

        // Then nothing is counted again, and the answer still reads the counters
        assertThat(again.budget().used(BudgetWindow.TENANT_DAY)).isEqualTo(new BudgetUsage(10, 1));
        assertThat(store.query("select tokens || ':' || calls from usage_counters where scope = 'tenant'"
                + " and period = 'day'")).isEqualTo("10:1");

        // When a writer whose lease is gone commits a step with usage
        store.update("update runs set lease_epoch = lease_epoch + 1 where id = '" + claimed.run().id() + "'");
        Throwable fenced = catchThrowable(() -> commit(claimed, RunStatus.RUNNING, new Usage(50, 50, 0, 0)));

        // Then it is refused and the counters are as they were
        assertThat(fenced).isInstanceOf(FencedOutException.class);
        assertThat(store.query("select tokens || ':' || calls from usage_counters where scope = 'tenant'"
                + " and period = 'day'")).isEqualTo("10:1");
    }

    @Test
    void aClaimReadsTheTenantsBudgetsAndWhatItSpentAndASettledStepAnswersNoState() {
        // Given a tenant budget of 100 tokens a day and 40 tokens spent
        budgets.replaceLimits(store.tenant, new BudgetLimits(Map.of(BudgetWindow.TENANT_DAY, new BudgetCap(100L, null),
                BudgetWindow.SESSION_MONTH, new BudgetCap(null, 3L)))).await().atMost(WAIT);
        ClaimedRun first = store.claim(store.submit(store.session("enqueue"), "one").id());
        CommittedStep settled = commit(first, RunStatus.COMPLETED, new Usage(30, 10, 0, 0));

        // When another run is claimed
        ClaimedRun second = store.claim(store.submit(store.session("enqueue"), "two").id());

        // Then the claim carries the budgets and the spending; the settled step answered no state
        assertThat(settled.budget()).isNull();
        assertThat(second.budget().tenantLimits().cap(BudgetWindow.TENANT_DAY)).isEqualTo(new BudgetCap(100L, null));
        assertThat(second.budget().tenantLimits().cap(BudgetWindow.SESSION_MONTH)).isEqualTo(new BudgetCap(null, 3L));
        assertThat(second.budget().used(BudgetWindow.TENANT_DAY)).isEqualTo(new BudgetUsage(40, 1));
        assertThat(second.budget().used(BudgetWindow.SESSION_DAY)).isEqualTo(BudgetUsage.ZERO);
        assertThat(budgets.limits(store.tenant).await().atMost(WAIT).cap(BudgetWindow.TENANT_DAY).tokens())
                .isEqualTo(100L);
    }

    @Test
    void theUsageReportSumsTheRunsPerGroupInPages() {
        // Given runs of two sessions (actor "actor" both), with their tokens
        commit(store.claim(store.submit(store.session("enqueue"), "a").id()), RunStatus.COMPLETED, new Usage(5, 1, 0, 0));
        commit(store.claim(store.submit(store.session("enqueue"), "b").id()), RunStatus.COMPLETED, new Usage(7, 2, 0, 0));
        Instant from = Instant.now().minus(Duration.ofHours(1));
        Instant to = Instant.now().plus(Duration.ofHours(1));

        // When usage is asked grouped by agent, and by day one group a page
        Page<UsageRow> byAgent = budgets.usage(store.tenant, UsageGroup.AGENT, from, to, Optional.empty(), 10)
                .await().atMost(WAIT);
        Page<UsageRow> byDay = budgets.usage(store.tenant, UsageGroup.DAY, from, to, Optional.empty(), 1)
                .await().atMost(WAIT);
        Page<UsageRow> none = budgets.usage(store.tenant, UsageGroup.ACTOR, to, to.plusSeconds(1), Optional.empty(), 10)
                .await().atMost(WAIT);

        // Then the one agent has both runs' tokens and calls; days are keyed by date
        assertThat(byAgent.items()).containsExactly(new UsageRow("a", 2, 12, 3, 2));
        assertThat(byAgent.nextCursor()).isNull();
        assertThat(byDay.items()).hasSize(1);
        assertThat(byDay.items().getFirst().key()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(byDay.items().getFirst().tokens()).isEqualTo(15);
        assertThat(none.items()).isEmpty();
    }

    private CommittedStep commit(ClaimedRun claimed, RunStatus status, Usage usage) {
        StepCommit.Builder step = StepCommit.to(status).modelCall(usage);
        if (status == RunStatus.COMPLETED) {
            step.output("done");
        }
        return store.runs.commitStep(claimed.lease(), step.build(), LEASE).await().atMost(WAIT);
    }
}
