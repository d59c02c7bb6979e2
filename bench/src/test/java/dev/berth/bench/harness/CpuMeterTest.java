package dev.berth.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuMeterTest {

    @Test
    void readsUserAndSystemTicksEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 56 0 0 20 0 40 0 100 0";

        assertThat(CpuMeter.ticksOf(stat)).isEqualTo(1234 + 56);
    }

    @Test
    void usageBetweenTwoReadingsIsInMillisecondsAndCores() {
        CpuMeter.Reading before = new CpuMeter.Reading(0, 100, 50, 1000, 4000);
        CpuMeter.Reading after = new CpuMeter.Reading(2_000_000_000L, 250, 60, 1300, 4400);

        CpuMeter.Usage u = after.since(before);

        assertThat(u.seconds()).isEqualTo(2.0);
        assertThat(u.berthCpuMs()).isEqualTo(1500.0);
        assertThat(u.benchCpuMs()).isEqualTo(100.0);
        assertThat(u.berthCores()).isEqualTo(0.75);
        assertThat(u.machineBusyCores()).isEqualTo(0.75 * Runtime.getRuntime().availableProcessors());
    }

    @Test
    void theBenchmarksOwnProcessHasUsedSomeCpu() {
        assertThat(CpuMeter.processTicks(ProcessHandle.current().pid())).isPositive();
    }
}
