package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failed-attempts cap (ADR 0021) with the in-memory run store and a fake clock: claims
 * whose leases expire under their owners (processes that died) count, and the claim that finds
 * the attempts used up fails the run without calling the model. PostgreSQL's counting is tested
 * by AttemptCapIT and FailingStepsTest in deploy.
 */
class FailedAttemptsTest {
    private static final int MAX_ATTEMPTS = 5;
    private EngineHarness h;
    private UUID session;

    @BeforeEach
    void setUp() {
        h = new EngineHarness();
        h.db.feed().silence();
        h.define("assistant", EngineHarness.agent());
        session = h.session("assistant", InputPolicy.ENQUEUE);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void aRunWhoseOwnersKeepDyingFailsAtTheClaimAfterItsLastAttemptWithoutAModelCall() {
        // Given a run claimed by one process after another, each dying before it commits anything
        Run run = h.submit(session, "Crash me");
        ClaimedRun claimed = h.claim("p0");
        assertThat(claimed.failedAttempts()).isZero();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            h.clock.advance(EngineHarness.LEASE_TTL.plusSeconds(1));
            claimed = h.claim("p" + attempt);
            assertThat(claimed.failedAttempts()).as("claim %d", attempt + 1).isEqualTo(attempt);
        }

        // When the claim that finds the attempts used up executes
        h.execution(claimed).execute().await().atMost(Duration.ofSeconds(10));

        // Then the run failed with attempts_exhausted, and the model was never called
        Run done = h.run(run.id());
        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.error().code()).isEqualTo("attempts_exhausted");
        assertThat(h.model.requests()).isEmpty();
        Event failed = h.db.events(session).getLast();
        assertThat(failed.type()).isEqualTo(EventType.RUN_FAILED);
        assertThat(failed.data().path("code").asText()).isEqualTo("attempts_exhausted");
    }

    @Test
    void aReleaseIsNotAFailedAttemptButAFailedReleaseIs() {
        // Given a claimed run
        h.submit(session, "Hi");
        ClaimedRun first = h.claim("p0");

        // When it is released (a drain), claimed again, and given back after failing steps
        h.runs.release(first.lease()).await().indefinitely();
        ClaimedRun second = h.claim("p1");
        h.runs.releaseFailed(second.lease()).await().indefinitely();
        ClaimedRun third = h.claim("p2");

        // Then only the failed release counted
        assertThat(second.failedAttempts()).isZero();
        assertThat(third.failedAttempts()).isEqualTo(1);
    }
}
