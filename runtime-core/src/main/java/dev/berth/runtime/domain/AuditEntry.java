package dev.berth.runtime.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * One row to append to the audit trail (ADR 0034).
 *
 * @param tenant    the tenant the action was done in; null only for a failed authentication whose key named none
 * @param principal who did it ({@link ApiPrincipal#subject()}, {@code platform:<key id>}, or {@code ip:<address>}
 *                  for a failed authentication)
 * @param requestId the request's id (X-Request-Id), or null outside a request (a sweeper)
 * @param digest    SHA-256 of the change (the canonical request body, or the target when there is none); 32 bytes
 */
public record AuditEntry(TenantId tenant, String principal, AuditAction action, AuditTarget target, String requestId,
        AuditOutcome outcome, byte[] digest) {
    public AuditEntry {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        if (digest == null || digest.length != 32) {
            throw new IllegalArgumentException("the digest is a SHA-256, 32 bytes");
        }
        digest = digest.clone();
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** SHA-256 of what changed: the request body as received, or a description of the change. */
    public static byte[] digestOf(byte[] change) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(change);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static byte[] digestOf(String change) {
        return digestOf(change.getBytes(StandardCharsets.UTF_8));
    }
}
