package dev.berth.runtime.domain;

import java.util.Objects;
import java.util.UUID;

/** The tenant every row and every query is scoped to. */
public record TenantId(UUID value) {
    public TenantId {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
