package dev.berth.bench.db;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the used heap from {@code jcmd <pid> GC.heap_info}. Heap lines read
 * "garbage-first heap   total 262144K, used 51234K [...]" (G1 up to JDK 24), "garbage-first heap
 * total reserved 524288K, committed 389120K, used 8882K [...]" (JDK 25) or one line per
 * generation (Serial, Parallel); Metaspace lines read "used ..K, committed ..K" without "total"
 * and are not heap, so the pattern "total ... used N K" selects exactly the heap lines.
 */
public final class HeapInfo {
    private static final Pattern HEAP_LINE = Pattern.compile("total [^\\n]*?used (\\d+)K");

    private HeapInfo() {
    }

    /** The used heap in bytes: the sum over heap lines; -1 when the output has none. */
    public static long usedBytes(String heapInfoOutput) {
        Matcher m = HEAP_LINE.matcher(heapInfoOutput);
        long usedKb = 0;
        boolean found = false;
        while (m.find()) {
            usedKb += Long.parseLong(m.group(1));
            found = true;
        }
        return found ? usedKb * 1024 : -1;
    }
}
