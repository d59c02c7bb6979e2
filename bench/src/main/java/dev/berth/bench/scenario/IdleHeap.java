package dev.berth.bench.scenario;

import dev.berth.bench.db.HeapInfo;
import dev.berth.bench.harness.Jcmd;
import dev.berth.bench.report.Figure;
import dev.berth.bench.report.Section;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 6: the heap Berth keeps after a full GC, with no idle sessions and with many. Idle
 * sessions are opened through the API and never used again; their state lives in PostgreSQL,
 * so the heap should not grow with them.
 */
public final class IdleHeap {

    private IdleHeap() {
    }

    public static Section run(ScenarioContext ctx) {
        int count = ctx.options().idleSessions();
        Section s = new Section("6-idle-heap", "6. Heap with idle sessions")
                .config("idle sessions", count)
                .config("method", "jcmd <pid> GC.run twice, then GC.heap_info; used heap after a full GC")
                .config("model latency ms", ctx.latencyMs());
        if (ctx.berth().pid().isEmpty() || !Jcmd.available()) {
            s.note("No process id (or no jcmd): heap not measured. With --target, pass --target-pid.");
            return s;
        }
        long pid = ctx.berth().pid().get();
        long before = heapAfterGc(pid);
        long start = System.nanoTime();
        List<UUID> opened = Sessions.open(ctx.client(), count, "idle", ctx.options().idleBudget());
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = heapAfterGc(pid);
        if (before <= 0 || after <= 0) {
            s.note("jcmd GC.heap_info output had no heap line this benchmark can read: "
                    + Jcmd.run(pid, "GC.heap_info").strip());
            return s;
        }
        double ratio = (double) after / before;
        s.figure(Figure.of("heap after GC, no idle sessions", before / 1048576.0, "MiB"));
        s.figure(Figure.of("heap after GC, " + opened.size() + " idle sessions", after / 1048576.0, "MiB"));
        s.figure(Figure.atMost("heap ratio, with / without", ratio, "x", 1.10, "within 10% (<= 1.10)"));
        s.figure(Figure.of("sessions opened per second (32 at a time)", opened.size() / seconds, "sessions/s"));
        if (opened.size() < count) {
            s.note("Only " + opened.size() + " of " + count + " sessions were opened within the time budget of "
                    + ctx.options().idleBudget().toMinutes() + " min (--idle-minutes).");
        }
        s.note("The 'no idle sessions' heap is measured on the same process after scenarios 1-3, i.e. warm;"
                + " the sessions are opened with POST /v1/sessions and never sent input.");
        return s;
    }

    /** Used heap after two explicit full collections (the second catches what the first freed late). */
    static long heapAfterGc(long pid) {
        Jcmd.run(pid, "GC.run");
        LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        Jcmd.run(pid, "GC.run");
        return HeapInfo.usedBytes(Jcmd.run(pid, "GC.heap_info"));
    }
}
