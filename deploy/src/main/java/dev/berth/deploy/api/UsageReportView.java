package dev.berth.deploy.api;

import dev.berth.runtime.domain.UsageRow;
import java.time.Instant;
import java.util.List;

/** GET /v1/usage: the tenant's runs created in {@code [from, to)}, summed per group, a page at a time. */
public record UsageReportView(String groupBy, Instant from, Instant to, List<Item> items, String nextCursor) {

    /** One group: its key (agent name, actor id, or UTC day), its runs and what they spent. */
    public record Item(String key, long runs, long inputTokens, long outputTokens, long tokens, long modelCalls) {
        public static Item of(UsageRow row) {
            return new Item(row.key(), row.runs(), row.inputTokens(), row.outputTokens(), row.tokens(), row.modelCalls());
        }
    }
}
