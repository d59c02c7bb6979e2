package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.domain.AgentLimits;
import dev.berth.runtime.domain.BudgetCap;
import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.domain.BudgetUsage;
import dev.berth.runtime.domain.BudgetWindow;
import dev.berth.runtime.run.BudgetState;
import dev.berth.runtime.run.RunError;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine's budget decision before a model call ({@link BudgetCheck}, ADR 0032): what "would exceed" means. */
class BudgetEngineTest {
    private static final AgentLimits NO_RUN_LIMIT = AgentLimits.DEFAULT;

    @Test
    void withNoBudgetAnywhereEveryCallIsAllowed() {
        // Given nothing configured and a lot spent
        BudgetState state = used(BudgetWindow.TENANT_DAY, 1_000_000, 1_000);

        // When the next call is checked, Then it may go
        assertThat(BudgetCheck.nextCall(BudgetLimits.NONE, state, NO_RUN_LIMIT, 1_000_000)).isEmpty();
    }

    @Test
    void aCallBudgetRefusesTheCallThatWouldPassItAndNoEarlierOne() {
        // Given a default of 3 model calls a day for each session
        BudgetLimits defaults = limits(BudgetWindow.SESSION_DAY, new BudgetCap(null, 3L));

        // When 2 and then 3 calls were counted
        Optional<RunError> afterTwo = BudgetCheck.nextCall(defaults, used(BudgetWindow.SESSION_DAY, 50, 2), NO_RUN_LIMIT, 50);
        Optional<RunError> afterThree = BudgetCheck.nextCall(defaults, used(BudgetWindow.SESSION_DAY, 60, 3), NO_RUN_LIMIT, 60);

        // Then the third call may go, the fourth is refused with budget_exceeded naming the window
        assertThat(afterTwo).isEmpty();
        assertThat(afterThree).hasValueSatisfying(error -> {
            assertThat(error.code()).isEqualTo("budget_exceeded");
            assertThat(error.budgetExceeded()).isTrue();
            assertThat(error.message()).isEqualTo("the session's budget of 3 model calls a day is spent (3 used)");
        });
    }

    @Test
    void aTokenBudgetRefusesOnceItIsReachedNotBefore() {
        // Given a tenant month budget of 100 tokens
        BudgetLimits defaults = limits(BudgetWindow.TENANT_MONTH, new BudgetCap(100L, null));

        // When 99 and then 100 tokens were counted
        Optional<RunError> below = BudgetCheck.nextCall(defaults, used(BudgetWindow.TENANT_MONTH, 99, 1), NO_RUN_LIMIT, 0);
        Optional<RunError> reached = BudgetCheck.nextCall(defaults, used(BudgetWindow.TENANT_MONTH, 100, 1), NO_RUN_LIMIT, 0);

        // Then only the second is refused
        assertThat(below).isEmpty();
        assertThat(reached).map(RunError::message).hasValue("the tenant's budget of 100 tokens a month is spent (100 used)");
    }

    @Test
    void aTenantsOwnBudgetWinsMeasureByMeasureOverTheDefaults() {
        // Given a default of 1 call and 10 tokens a day per agent, and a tenant that raised the calls to 5 only
        BudgetLimits defaults = limits(BudgetWindow.AGENT_DAY, new BudgetCap(10L, 1L));
        BudgetLimits own = limits(BudgetWindow.AGENT_DAY, new BudgetCap(null, 5L));

        // When 3 calls and 5 tokens, then 3 calls and 10 tokens were counted
        Optional<RunError> callsRaised = BudgetCheck.nextCall(defaults, new BudgetState(own,
                Map.of(BudgetWindow.AGENT_DAY, new BudgetUsage(5, 3))), NO_RUN_LIMIT, 0);
        Optional<RunError> tokensKept = BudgetCheck.nextCall(defaults, new BudgetState(own,
                Map.of(BudgetWindow.AGENT_DAY, new BudgetUsage(10, 3))), NO_RUN_LIMIT, 0);

        // Then the tenant's 5 calls hold, and the default 10 tokens still does
        assertThat(callsRaised).isEmpty();
        assertThat(tokensKept).map(RunError::message).hasValue("the agent's budget of 10 tokens a day is spent (10 used)");
    }

    @Test
    void aRunsOwnTokenLimitCountsAllItsCalls() {
        // Given an agent whose runs may spend 500 tokens
        AgentLimits limits = new AgentLimits(10, null, Duration.ofMinutes(1), 500L);

        // When the run spent 499, then 500
        Optional<RunError> below = BudgetCheck.nextCall(BudgetLimits.NONE, BudgetState.NONE, limits, 499);
        Optional<RunError> reached = BudgetCheck.nextCall(BudgetLimits.NONE, BudgetState.NONE, limits, 500);

        // Then the run is refused at 500
        assertThat(below).isEmpty();
        assertThat(reached).map(RunError::message).hasValue("the run spent 500 tokens, its agent's limit is 500");
    }

    @Test
    void aCallWhoseRequestAndLongestAnswerWouldNotFitIsRefusedBeforeItIsMade() {
        // Given a tenant month budget of 100 tokens with 60 spent, and a request of 30 tokens
        BudgetLimits defaults = limits(BudgetWindow.TENANT_MONTH, new BudgetCap(100L, null));
        BudgetState state = used(BudgetWindow.TENANT_MONTH, 60, 2);
        AgentLimits unbounded = new AgentLimits(10, null, Duration.ofMinutes(1), null);
        AgentLimits answersUpTo20 = new AgentLimits(10, 20, Duration.ofMinutes(1), null);

        // When the call is checked for an agent whose answers are unbounded, then up to 20 tokens
        Optional<RunError> fits = BudgetCheck.nextCall(defaults, state, unbounded, 0, 30);
        Optional<RunError> wouldPass = BudgetCheck.nextCall(defaults, state, answersUpTo20, 0, 30);

        // Then 60 + 30 fits; 60 + 30 + 20 would pass 100, so that call is never made
        assertThat(fits).isEmpty();
        assertThat(wouldPass).map(RunError::message).hasValue("the next model call may spend 50 tokens, more than the"
                + " 40 left of the tenant's budget of 100 tokens a month");
        // and a run's own limit is checked the same way
        AgentLimits runOf500 = new AgentLimits(10, null, Duration.ofMinutes(1), 500L);
        assertThat(BudgetCheck.nextCall(BudgetLimits.NONE, BudgetState.NONE, runOf500, 400, 100)).isEmpty();
        assertThat(BudgetCheck.nextCall(BudgetLimits.NONE, BudgetState.NONE, runOf500, 400, 101))
                .map(RunError::message).hasValue("the run spent 400 tokens and its next model call may spend 101,"
                        + " its agent's limit is 500");
    }

    private static BudgetLimits limits(BudgetWindow window, BudgetCap cap) {
        return new BudgetLimits(Map.of(window, cap));
    }

    private static BudgetState used(BudgetWindow window, long tokens, long calls) {
        return new BudgetState(BudgetLimits.NONE, Map.of(window, new BudgetUsage(tokens, calls)));
    }
}
