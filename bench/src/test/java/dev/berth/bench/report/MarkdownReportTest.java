package dev.berth.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    @Test
    void aSectionShowsItsConfigurationFiguresTargetsAndVerdicts() {
        Section s = new Section("1", "1. Turn overhead").config("turns", 200)
                .figure(Figure.atMost("p50", 12.345, "ms", 15, "< 15 ms"))
                .figure(Figure.atMost("p99", 61.0, "ms", 50, "< 50 ms"))
                .figure(Figure.of("steps | per turn", 3, "steps"))
                .note("measured client-side");

        String md = MarkdownReport.section(s);

        assertThat(md).contains("## 1. Turn overhead", "Configuration: turns=200",
                "| p50 | 12.3 | ms | < 15 ms | met |", "| p99 | 61 | ms | < 50 ms | MISSED |",
                "steps \\| per turn", "- measured client-side");
    }

    @Test
    void unmeasuredFiguresReadNotAvailableWithoutAVerdict() {
        Figure f = Figure.atMost("p50", Double.NaN, "ms", 15, "< 15 ms");

        assertThat(f.formatted()).isEqualTo("n/a");
        assertThat(f.verdict()).isEmpty();
    }
}
