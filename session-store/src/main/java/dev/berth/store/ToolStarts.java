package dev.berth.store;

import dev.berth.runtime.domain.ToolInvocation;
import dev.berth.runtime.run.Lease;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The starts of tool calls a statement records as {@code tool_calls} rows, as the three
 * parallel arrays the SQL unnests: call ids, attempts and idempotency keys ({@code runId:callId}).
 */
record ToolStarts(String[] callIds, Integer[] attempts, String[] keys) {

    /** The calls of {@code attempts} that {@code started} selects, at their attempt. */
    static ToolStarts of(Lease lease, Map<String, Integer> attempts, Predicate<String> started) {
        String[] ids = attempts.keySet().stream().filter(started).toArray(String[]::new);
        Integer[] numbers = new Integer[ids.length];
        String[] keys = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            numbers[i] = attempts.get(ids[i]);
            keys[i] = ToolInvocation.idempotencyKey(lease.runId(), ids[i]);
        }
        return new ToolStarts(ids, numbers, keys);
    }
}
