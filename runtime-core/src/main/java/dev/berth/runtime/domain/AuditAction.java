package dev.berth.runtime.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * A security or control action the audit trail records (ADR 0034). The wire name
 * ({@code key.create}) is what {@code audit_log.action} holds and {@code GET /v1/audit?action=} filters on.
 */
public enum AuditAction {
    KEY_CREATE("key.create"), KEY_REVOKE("key.revoke"),
    TENANT_CREATE("tenant.create"), TENANT_SUSPEND("tenant.suspend"), TENANT_RESUME("tenant.resume"),
    TENANT_DELETE("tenant.delete"),
    AGENT_VERSION("agent.version"),
    MEMORY_BLOCK_PUT("memory-block.put"), MEMORY_BLOCK_DELETE("memory-block.delete"),
    /** Approvals, denials and client-tool answers given to a paused run: one row per answered call. */
    RUN_APPROVE("run.approve"), RUN_DENY("run.deny"), RUN_TOOL_ANSWER("run.tool-answer"),
    RUN_CANCEL("run.cancel"),
    ACTOR_ERASE("actor.erase"), MEMORY_DELETE("memory.delete"),
    /** Sampled: at most a bounded number per client address a minute ({@code berth.audit.failed-auth-per-minute}). */
    AUTH_FAILED("auth.failed"),
    /** The operator kill switch and its undoing (ADR 0033): one row per request. */
    SESSION_KILL("session.kill"), SESSION_REOPEN("session.reopen"),
    /** Overrides of the tenant's quotas and budgets replaced by an admin; the digest is of the new ones. */
    QUOTA_CHANGE("quota.change"), BUDGET_CHANGE("budget.change");

    private final String wire;

    AuditAction(String wire) {
        this.wire = wire;
    }

    /** The name in {@code audit_log.action} and the API: {@code key.create}. */
    public String wire() {
        return wire;
    }

    public static Optional<AuditAction> parse(String wire) {
        return Arrays.stream(values()).filter(action -> action.wire().equals(wire)).findFirst();
    }
}
