package dev.berth.runtime.domain;

import java.time.Instant;
import java.util.Objects;

/** A row of the audit trail as stored: its id (ascending with time of insertion) and when it was written. */
public record AuditRecord(long id, Instant at, AuditEntry entry) {
    public AuditRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(entry, "entry");
    }
}
