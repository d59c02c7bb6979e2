package dev.berth.runtime.run;

import dev.berth.runtime.error.ValidationException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which of a tenant's live runs to list, and how.
 *
 * @param statuses  live statuses only, at least one
 * @param olderThan only runs created at least this long ago (zero: all)
 * @param cursor    the {@code nextCursor} of the previous page, or null for the first (opaque to
 *                  the service; the store reads it)
 */
public record LiveRunQuery(Set<RunStatus> statuses, Duration olderThan, LiveRunOrder order, int limit, String cursor) {
    public static final int MAX_LIMIT = 100;

    public LiveRunQuery {
        Objects.requireNonNull(order, "order");
        if (statuses == null || statuses.isEmpty()) {
            throw ValidationException.field("status", "must name at least one live status");
        }
        for (RunStatus status : statuses) {
            if (status.terminal()) {
                throw ValidationException.field("status", "'" + status.wire() + "' is not a live status; live are "
                        + RunStatus.live().stream().map(RunStatus::wire).toList());
            }
        }
        statuses = Set.copyOf(statuses);
        if (olderThan == null || olderThan.isNegative()) {
            throw ValidationException.field("olderThan", "must be a duration that is not negative, such as PT5M");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ValidationException.field("limit", "must be between 1 and " + MAX_LIMIT);
        }
    }

    /** The statuses named on the wire (comma separated), or every live status for none. */
    public static Set<RunStatus> statuses(String wire) {
        if (wire == null || wire.isBlank()) {
            return EnumSet.copyOf(RunStatus.live());
        }
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        for (String name : wire.split(",", -1)) {
            RunStatus status = RunStatus.live().stream().filter(s -> s.wire().equals(name.trim())).findFirst()
                    .orElseThrow(() -> ValidationException.field("status", "'" + name.trim() + "' is not a live status; live are "
                            + RunStatus.live().stream().map(RunStatus::wire).toList()));
            statuses.add(status);
        }
        return statuses;
    }

    /** An ISO-8601 duration ({@code PT5M}), or zero for none. */
    public static Duration olderThan(String wire) {
        if (wire == null || wire.isBlank()) {
            return Duration.ZERO;
        }
        try {
            return Duration.parse(wire.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw ValidationException.field("olderThan", "must be an ISO-8601 duration, such as PT5M");
        }
    }
}
