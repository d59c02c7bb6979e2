package dev.berth.runtime.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a credential may do in its tenant (ADR 0028). A key holds one or more roles; which routes
 * each role reaches is declared on the routes themselves ({@code @Allowed} in deploy) and listed
 * in the README.
 */
public enum Role {
    /** Keys and tenant settings; and everything any other role may do in its tenant. */
    ADMIN,
    /** Agents and memory blocks; reads everything. */
    DEVELOPER,
    /** Reads everything, cancels runs, deletes sessions. */
    OPERATOR,
    /** The back end of an application: opens sessions, sends input, answers actions, memories, for any actor. */
    SERVICE,
    /** One end user: only the sessions, runs, events and memories of its own actorId. */
    ACTOR;

    /** The name in the API and in {@code api_keys.roles}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String wire) {
        return Arrays.stream(values()).filter(role -> role.wire().equals(wire)).findFirst();
    }
}
