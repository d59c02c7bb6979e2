package dev.berth.runtime.engine;

import dev.berth.runtime.domain.Event;
import dev.berth.runtime.memory.MemoryBlock;
import dev.berth.runtime.memory.MemoryRecord;
import java.util.List;
import java.util.function.Predicate;

/**
 * What one step is built from, read with a bounded number of rows whatever the session's
 * length: the newest compaction (the rolling summary), the events after it (at most the
 * configured window), the pinned blocks and the memories recalled for the run.
 *
 * @param summary   the newest {@code context.compacted} event, or null
 * @param window    the events after the summary, oldest first
 * @param foldBelow compaction may fold only events below this sequence: the first event hidden from
 *                  this run (input queued for a later run) must stay after the summary for its own run
 */
record StepContext(Event summary, List<Event> window, List<MemoryBlock> blocks, List<MemoryRecord> recalled,
        long foldBelow) {
    StepContext(Event summary, List<Event> window, List<MemoryBlock> blocks, List<MemoryRecord> recalled) {
        this(summary, window, blocks, recalled, Long.MAX_VALUE);
    }

    StepContext {
        window = List.copyOf(window);
        blocks = List.copyOf(blocks);
        recalled = List.copyOf(recalled);
    }

    long summaryThroughSeq() {
        return summary == null ? 0 : summary.data().path("throughSeq").asLong(0);
    }

    String summaryText() {
        return summary == null ? null : summary.data().path("summary").asText(null);
    }

    /** The context as one run may see it; the events it hides also bound what compaction may fold. */
    StepContext filter(Predicate<Event> keep) {
        long firstHidden = window.stream().filter(keep.negate()).mapToLong(Event::seq).min().orElse(Long.MAX_VALUE);
        return new StepContext(summary, window.stream().filter(keep).toList(), blocks, recalled,
                Math.min(foldBelow, firstHidden));
    }
}
