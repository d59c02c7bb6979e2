package dev.berth.model.internal.auth;

import io.smallrye.mutiny.Uni;

/**
 * Supplies the credential header of a deployment. Token-based providers cache and refresh;
 * the returned {@code Uni} must not block. A null item means "send no credentials".
 */
public interface CredentialProvider {
    Uni<AuthHeader> header();

    /** Drops a cached token, e.g. after a 401, so the next call fetches a fresh one. */
    default void invalidate() {
    }

    static CredentialProvider fixed(AuthHeader header) {
        Uni<AuthHeader> uni = Uni.createFrom().item(header);
        return () -> uni;
    }
}
