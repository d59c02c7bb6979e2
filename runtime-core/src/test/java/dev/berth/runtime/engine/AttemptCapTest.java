package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.domain.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rule of the failed-attempts cap (ADR 0021); the counting itself is tested against PostgreSQL. */
class AttemptCapTest {

    @Test
    void aCapBelowOneIsRefused() {
        assertThatThrownBy(() -> new AttemptCap(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("berth.engine.max-attempts");
    }

    @Test
    void aClaimWithFewerFailedAttemptsThanTheCapRunsAndOnlyTheLastOneFailsTheRunItself() {
        AttemptCap cap = new AttemptCap(3);

        assertThat(cap.usedUp(claimed(2))).isFalse();
        assertThat(cap.lastAttempt(claimed(1))).isFalse();
        assertThat(cap.lastAttempt(claimed(2))).isTrue();
        assertThat(cap.usedUp(claimed(3))).isTrue();
    }

    @Test
    void theErrorNamesTheAttemptsAndTheLastErrorCutShort() {
        AttemptCap cap = new AttemptCap(5);

        var error = cap.exhaustedBy(claimed(4), new IllegalStateException("x".repeat(2_000)));

        assertThat(error.code()).isEqualTo("attempts_exhausted");
        assertThat(error.message()).contains("after 5 failed attempts").hasSizeLessThan(700).endsWith("...");
    }

    private static ClaimedRun claimed(int failedAttempts) {
        UUID runId = UUID.randomUUID();
        UUID sessionId = UUID.randomUUID();
        TenantId tenant = new TenantId(UUID.randomUUID());
        Run run = new Run(runId, tenant, sessionId, 1L, RunStatus.RUNNING, 0, 0, "agent", 1, null, null, null,
                Instant.EPOCH, Instant.EPOCH, null);
        return new ClaimedRun(run, new Lease(runId, sessionId, tenant, "owner", 1), Map.of(), false, false,
                Instant.EPOCH, "actor", Map.of(), null, failedAttempts);
    }
}
