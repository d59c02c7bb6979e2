package dev.berth.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    private static long[] millis(long... ms) {
        long[] nanos = new long[ms.length];
        for (int i = 0; i < ms.length; i++) {
            nanos[i] = ms[i] * 1_000_000;
        }
        return nanos;
    }

    @Test
    void percentilesUseNearestRankOnAHundredValues() {
        long[] sample = new long[100];
        for (int i = 0; i < 100; i++) {
            sample[i] = (100 - i) * 1_000_000L; // unsorted on purpose: 100 ms down to 1 ms
        }

        LatencySummary s = LatencySummary.ofNanos(sample);

        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50Ms()).isEqualTo(50.0);
        assertThat(s.p95Ms()).isEqualTo(95.0);
        assertThat(s.p99Ms()).isEqualTo(99.0);
        assertThat(s.maxMs()).isEqualTo(100.0);
        assertThat(s.meanMs()).isEqualTo(50.5);
    }

    @Test
    void aSmallSampleNeverReportsAValueThatWasNotMeasured() {
        LatencySummary s = LatencySummary.ofNanos(millis(10, 20, 30));

        assertThat(s.p50Ms()).isEqualTo(20.0);
        assertThat(s.p99Ms()).isEqualTo(30.0);
    }

    @Test
    void anEmptySampleGivesZeros() {
        assertThat(LatencySummary.ofNanos(new long[0]).count()).isZero();
    }

    @Test
    void percentileOutsideRangeIsRejected() {
        assertThatThrownBy(() -> LatencySummary.percentile(new long[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void medianOfASliceIgnoresTheRest() {
        long[] sample = millis(1, 2, 3, 100, 200, 300);

        assertThat(LatencySummary.medianMs(sample, 0, 3)).isEqualTo(2.0);
        assertThat(LatencySummary.medianMs(sample, 3, 6)).isEqualTo(200.0);
    }
}
