package dev.berth.deploy.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ErrorLogThrottleTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T12:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final ErrorLogThrottle throttle = new ErrorLogThrottle(3, Duration.ofMinutes(1), clock);

    @Test
    void theFirstErrorsOfAWindowAreLoggedAndTheRestCounted() {
        var verdicts = IntStream.range(0, 10).mapToObj(i -> throttle.admit("boom")).toList();

        assertThat(verdicts).extracting(ErrorLogThrottle.Verdict::log)
                .containsExactly(true, true, true, false, false, false, false, false, false, false);
        assertThat(verdicts).extracting(ErrorLogThrottle.Verdict::firstSuppressed)
                .containsExactly(false, false, false, true, false, false, false, false, false, false);
    }

    @Test
    void theNextWindowReportsHowManyWereLeftOut() {
        IntStream.range(0, 10).forEach(i -> throttle.admit("boom"));

        now.set(now.get().plus(Duration.ofSeconds(61)));
        ErrorLogThrottle.Verdict next = throttle.admit("boom");

        assertThat(next.log()).isTrue();
        assertThat(next.suppressedBefore()).isEqualTo(7);
        assertThat(throttle.admit("boom").suppressedBefore()).as("reported once").isZero();
    }

    @Test
    void kindsAreCountedApart() {
        IntStream.range(0, 10).forEach(i -> throttle.admit("boom"));

        assertThat(throttle.admit("crash").log()).isTrue();
    }

    @Test
    void aWindowMustHoldAtLeastOneError() {
        assertThatThrownBy(() -> new ErrorLogThrottle(0, Duration.ofMinutes(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
