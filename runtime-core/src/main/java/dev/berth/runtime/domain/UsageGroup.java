package dev.berth.runtime.domain;

import java.util.Arrays;
import java.util.Optional;

/** How GET /v1/usage groups a tenant's runs: by agent name, by the session's actor, or by UTC day of the run's creation. */
public enum UsageGroup {
    AGENT("agent"),
    ACTOR("actor"),
    DAY("day");

    private final String wire;

    UsageGroup(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<UsageGroup> fromWire(String value) {
        return Arrays.stream(values()).filter(g -> g.wire.equals(value)).findFirst();
    }
}
