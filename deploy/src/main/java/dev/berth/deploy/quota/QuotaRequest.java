package dev.berth.deploy.quota;

import dev.berth.runtime.domain.Quota;
import dev.berth.runtime.domain.QuotaOverrides;
import dev.berth.runtime.error.ValidationException;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code PUT /v1/quotas}: the tenant's overrides, all of them. A field that is absent
 * or null follows the configured default (so a PUT replaces every override, and repeating it changes
 * nothing more).
 */
public record QuotaRequest(
        @Schema(minimum = "0", maximum = "2147483647") Long liveSessions,
        @Schema(minimum = "0", maximum = "2147483647") Long agents,
        @Schema(minimum = "0", maximum = "2147483647") Long agentVersions,
        @Schema(minimum = "0", maximum = "2147483647") Long memories,
        @Schema(minimum = "0", maximum = "2147483647") Long apiKeys,
        @Schema(minimum = "0", maximum = "9223372036854775807") Long storedBytes,
        @Schema(minimum = "0", exclusiveMinimum = true, maximum = "1000000000") Double requestsPerSecond,
        @Schema(minimum = "1", maximum = "1000000000") Double burst) {

    /** Highest count an override may set (the count columns are integers). */
    static final long MAX_COUNT = Integer.MAX_VALUE;
    /** Highest rate an override may set, in requests a second (and the most a burst may hold). */
    static final double MAX_RATE = 1_000_000_000;

    /** The overrides, validated: counts from 0, a rate above 0, a burst of at least 1. */
    public QuotaOverrides overrides() {
        Map<Quota, Long> counts = new EnumMap<>(Quota.class);
        put(counts, Quota.LIVE_SESSIONS, "liveSessions", liveSessions, MAX_COUNT);
        put(counts, Quota.AGENTS, "agents", agents, MAX_COUNT);
        put(counts, Quota.AGENT_VERSIONS, "agentVersions", agentVersions, MAX_COUNT);
        put(counts, Quota.MEMORIES, "memories", memories, MAX_COUNT);
        put(counts, Quota.API_KEYS, "apiKeys", apiKeys, MAX_COUNT);
        put(counts, Quota.STORED_BYTES, "storedBytes", storedBytes, Long.MAX_VALUE);
        if (requestsPerSecond != null && !(requestsPerSecond > 0 && requestsPerSecond <= MAX_RATE)) {
            throw ValidationException.field("requestsPerSecond", "must be more than 0 and at most " + (long) MAX_RATE);
        }
        if (burst != null && !(burst >= 1 && burst <= MAX_RATE)) {
            throw ValidationException.field("burst", "must be from 1 to " + (long) MAX_RATE);
        }
        return new QuotaOverrides(counts, requestsPerSecond, burst);
    }

    private static void put(Map<Quota, Long> counts, Quota quota, String field, Long value, long max) {
        if (value == null) {
            return;
        }
        if (value < 0 || value > max) {
            throw ValidationException.field(field, "must be from 0 to " + max);
        }
        counts.put(quota, value);
    }
}
