package dev.berth.runtime.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A security or control action the audit trail records (ADR 0034). The wire name
 * ({@code key.create}) is what {@code audit_log.action} holds and {@code GET /v1/audit?action=} filters on.
 */
public enum AuditAction {
    KEY_CREATE, KEY_REVOKE,
    TENANT_CREATE, TENANT_SUSPEND, TENANT_RESUME, TENANT_DELETE,
    AGENT_VERSION,
    MEMORY_BLOCK_PUT, MEMORY_BLOCK_DELETE,
    /** Approvals, denials and client-tool answers given to a paused run: one row per answered call. */
    RUN_APPROVE, RUN_DENY, RUN_TOOL_ANSWER,
    RUN_CANCEL,
    ACTOR_ERASE, MEMORY_DELETE,
    /** Sampled: at most a bounded number per tenant or address a minute ({@code berth.audit.failed-auth-per-minute}). */
    AUTH_FAILED,
    /** Wired by the kill switch, quotas and budgets (issue 16 point 5). */
    SESSION_KILL, QUOTA_CHANGE, BUDGET_CHANGE;

    /** {@code KEY_CREATE} is {@code key.create}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replaceFirst("_", ".");
    }

    public static Optional<AuditAction> parse(String wire) {
        return Arrays.stream(values()).filter(action -> action.wire().equals(wire)).findFirst();
    }
}
