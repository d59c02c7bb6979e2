package dev.berth.deploy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.deploy.observe.PoolSample;
import dev.berth.testsupport.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The liveness rule for a wedged pool, driven by a fake clock (no Quarkus, no database). */
class PoolStallRuleTest {
    private static final int MAX = 20;
    private final FakeClock clock = new FakeClock();
    private final PoolStallRule rule = new PoolStallRule(Duration.ofSeconds(60), clock);

    @Test
    void aPoolExhaustedAndStillForTheConfiguredTimeIsWedged() {
        // Given every connection lent out, requests waiting, and nothing given back
        assertThat(wedgedAfter(exhausted(100))).isFalse();
        clock.advance(Duration.ofSeconds(59));
        assertThat(wedgedAfter(exhausted(100))).isFalse();
        // When the stall reaches the configured time
        clock.advance(Duration.ofSeconds(1));
        // Then the process can no longer serve
        assertThat(wedgedAfter(exhausted(100))).isTrue();
    }

    @Test
    void aBusyPoolThatKeepsGivingConnectionsBackIsAlive() {
        // Given a pool exhausted at every reading for ten minutes, but with connections coming back between readings
        for (int minute = 0; minute < 10; minute++) {
            // Then it is never wedged: the waiters are being served
            assertThat(wedgedAfter(exhausted(1000 + minute))).isFalse();
            clock.advance(Duration.ofMinutes(1));
        }
    }

    @Test
    void aReadingWithAFreeConnectionOrNoWaiterEndsTheStall() {
        // Given a stall of 50 s
        wedgedAfter(exhausted(7));
        clock.advance(Duration.ofSeconds(50));
        // When a reading sees a free connection, then one sees no waiter
        assertThat(wedgedAfter(new PoolSample(MAX - 1, 3, 7, MAX))).isFalse();
        clock.advance(Duration.ofSeconds(50));
        wedgedAfter(exhausted(7));
        clock.advance(Duration.ofSeconds(50));
        assertThat(wedgedAfter(new PoolSample(MAX, 0, 7, MAX))).isFalse();
        // Then the stall is measured afresh from the next exhausted reading
        wedgedAfter(exhausted(7));
        clock.advance(Duration.ofSeconds(59));
        assertThat(wedgedAfter(exhausted(7))).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(wedgedAfter(exhausted(7))).isTrue();
    }

    @Test
    void aDatabaseOutageIsNotAWedgedPool() {
        // Given the database gone: its connections closed, requests waiting for new ones that never come
        PoolSample outage = new PoolSample(0, 50, 7, MAX);
        wedgedAfter(outage);
        // When it lasts an hour
        clock.advance(Duration.ofHours(1));
        // Then liveness stays up: a restart would not bring the database back
        assertThat(wedgedAfter(outage)).isFalse();
    }

    @Test
    void theTimeMustBePositive() {
        assertThatThrownBy(() -> new PoolStallRule(Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("berth.health.pool-stuck-after");
    }

    private boolean wedgedAfter(PoolSample sample) {
        return rule.wedged(rule.observe(sample));
    }

    private static PoolSample exhausted(long released) {
        return new PoolSample(MAX, 5, released, MAX);
    }
}
