package dev.berth.runtime.port;

import io.smallrye.mutiny.Uni;

/**
 * Secrets the server generates once and every process shares, for when configuration gives none
 * (ADR 0028). Threading and errors as {@link AgentStore}.
 */
public interface ServerSecrets {

    /** The secret kept under {@code name}: the one stored first, or {@code generated} if none was. */
    Uni<byte[]> secret(String name, byte[] generated);
}
