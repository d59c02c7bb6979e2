package dev.berth.runtime.domain;

/** What a platform operator's suspension, resumption or deletion of a tenant came to. */
public enum PlatformChange {
    /** Done, and its audit row written in the same transaction. */
    DONE,
    /** No such tenant: nothing changed. */
    UNKNOWN,
    /** The operator tenant, the platform's own: refused, nothing changed. */
    PLATFORM_OWN
}
