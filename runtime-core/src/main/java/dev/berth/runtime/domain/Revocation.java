package dev.berth.runtime.domain;

/** What a revocation of an API key did. */
public enum Revocation {
    REVOKED,
    /** The tenant has no such live key. */
    UNKNOWN,
    /** Refused: it is the tenant's last live admin key, and without it nobody could manage the tenant. */
    LAST_ADMIN
}
