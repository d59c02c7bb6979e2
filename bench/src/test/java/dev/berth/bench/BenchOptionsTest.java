package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void fullSelectsTheIssuesSizes() {
        BenchOptions o = BenchOptions.parse("--full");

        assertThat(o.fast().growthTurns()).isEqualTo(1000);
        assertThat(o.slow().levels()).contains(1000, 5000);
        assertThat(o.idleSessions()).isEqualTo(100_000);
    }

    @Test
    void explicitOptionsOverrideThePreset() {
        BenchOptions o = BenchOptions.parse("--quick", "--scenarios", "1,3", "--latencies", "0",
                "--levels", "1,64", "--level-seconds", "7");

        assertThat(o.runs(1)).isTrue();
        assertThat(o.runs(2)).isFalse();
        assertThat(o.latenciesMs()).containsExactly(0);
        assertThat(o.sizes(0).levels()).isEqualTo(List.of(1, 64));
        assertThat(o.sizes(0).levelDuration()).isEqualTo(Duration.ofSeconds(7));
        assertThat(o.sizes(300)).isSameAs(o.slow());
    }

    @Test
    void unknownOptionsAndMissingValuesAreRejectedWithTheUsage() {
        assertThatThrownBy(() -> BenchOptions.parse("--turn", "5")).hasMessageContaining("unknown option --turn")
                .hasMessageContaining("--scenarios");
        assertThatThrownBy(() -> BenchOptions.parse("--turns")).hasMessageContaining("needs a value");
    }

    @Test
    void aTargetNeedsItsDatabase() {
        assertThatThrownBy(() -> BenchOptions.parse("--target", "http://127.0.0.1:8080"))
                .hasMessageContaining("--target-db");
    }
}
