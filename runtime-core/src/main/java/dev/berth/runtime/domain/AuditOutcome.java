package dev.berth.runtime.domain;

import java.util.Locale;

/** How a recorded action ended. */
public enum AuditOutcome {
    /** It happened. */
    SUCCEEDED,
    /** It was refused (a failed authentication, a forbidden suspension of the platform's tenant). */
    REFUSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
