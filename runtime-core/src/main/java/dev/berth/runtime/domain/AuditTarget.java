package dev.berth.runtime.domain;

import java.util.Objects;

/** What an audited action was done to: {@code api-key}, {@code tenant}, {@code agent}, {@code run}, ... and its id. */
public record AuditTarget(String type, String id) {
    public AuditTarget {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }
}
