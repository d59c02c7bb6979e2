package dev.berth.deploy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sampling of failed authentications: a bound per source a minute, and on the memory it takes. */
class AuditFailedAuthSamplerTest {
    private final AtomicLong clock = new AtomicLong(1_000_000L * 60_000);

    @Test
    void aSourceIsRecordedAtMostNTimesAMinuteAndAgainTheNextMinute() {
        // Given at most 3 a minute
        AuditFailedAuthSampler sampler = new AuditFailedAuthSampler(3, 100, clock::get);

        // When one address fails 50 times in a minute, Then 3 are recorded; another address has its own 3
        assertThat(admitted(sampler, "10.0.0.1", 50)).isEqualTo(3);
        assertThat(admitted(sampler, "10.0.0.2", 50)).isEqualTo(3);

        // and in the next minute the first has 3 again
        clock.addAndGet(60_000);
        assertThat(admitted(sampler, "10.0.0.1", 50)).isEqualTo(3);
    }

    @Test
    void aFloodFromManyAddressesIsBoundedInRowsAndInMemory() {
        // Given at most 2 a minute per address and 10 addresses tracked
        AuditFailedAuthSampler sampler = new AuditFailedAuthSampler(2, 10, clock::get);

        // When 10,000 addresses fail 5 times each within a minute
        int recorded = 0;
        for (int i = 0; i < 10_000; i++) {
            recorded += admitted(sampler, "10.1." + (i / 256) + "." + (i % 256), 5);
        }

        // Then the first 10 get their 2 each, all the others share 2, and 11 counters are kept
        assertThat(recorded).isEqualTo(10 * 2 + 2);
        assertThat(sampler.tracked()).isEqualTo(11);
    }

    private static int admitted(AuditFailedAuthSampler sampler, String source, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            admitted += sampler.admit(source) ? 1 : 0;
        }
        return admitted;
    }
}
