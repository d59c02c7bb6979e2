package dev.berth.runtime.domain;

import java.util.Locale;

/**
 * What a tenant may hold at most (ADR 0031). Each is counted in PostgreSQL by the write that
 * changes it, and checked in the transaction of each creation through the API.
 */
public enum Quota {
    /** Sessions whose status is {@code active} (deleted and expired ones free their place). */
    LIVE_SESSIONS,
    /** Agent names. */
    AGENTS,
    /** Agent versions, of every agent. */
    AGENT_VERSIONS,
    /** Long-term memory records (an expired one counts until the sweeper deletes it). */
    MEMORIES,
    /** API keys not revoked. */
    API_KEYS,
    /** UTF-8 bytes of the content of the tenant's memory records. */
    STORED_BYTES;

    /** The name in the API's problems, in SQL and in configuration ({@code live-sessions}). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
