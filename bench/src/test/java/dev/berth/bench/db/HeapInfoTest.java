package dev.berth.bench.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapInfoTest {

    @Test
    void readsTheG1HeapLineAndIgnoresMetaspace() {
        String out = """
                12345:
                 garbage-first heap   total 262144K, used 51234K [0x00000000e0000000, 0x0000000100000000)
                  region size 1024K, 3 young (3072K), 0 survivors (0K)
                 Metaspace       used 61234K, committed 61888K, reserved 1114112K
                  class space    used 7890K, committed 8192K, reserved 1048576K
                """;

        assertThat(HeapInfo.usedBytes(out)).isEqualTo(51234L * 1024);
    }

    @Test
    void readsTheJdk25G1LineWithReservedAndCommitted() {
        String out = """
                30829:
                garbage-first heap   total reserved 524288K, committed 389120K, used 8882K [0x00000000e0000000, 0x0)
                 region size 1024K, 7 young (7168K), 3 survivors (3072K)
                 Metaspace       used 61234K, committed 61888K, reserved 1114112K
                """;

        assertThat(HeapInfo.usedBytes(out)).isEqualTo(8882L * 1024);
    }

    @Test
    void addsTheGenerationsOfTheSerialCollector() {
        String out = """
                 def new generation   total 9792K, used 1000K [0x...)
                  eden space 8704K,  11% used [0x...)
                 tenured generation   total 21588K, used 20000K [0x...)
                 Metaspace       used 100K, committed 200K, reserved 1000K
                """;

        assertThat(HeapInfo.usedBytes(out)).isEqualTo(21000L * 1024);
    }

    @Test
    void outputWithoutAHeapLineIsMinusOne() {
        assertThat(HeapInfo.usedBytes("Could not attach")).isEqualTo(-1);
    }
}
