package dev.berth.runtime.run;

import java.util.Objects;

/**
 * One result a paused run waits for: a client-side tool's output or a human's decision on a
 * call, keyed by the tool call id.
 *
 * @param answer null while unanswered
 */
public record PendingAction(String callId, ActionKind kind, String toolName, String arguments, ActionAnswer answer) {
    public PendingAction {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(toolName, "toolName");
        arguments = arguments == null ? "{}" : arguments;
    }

    public static PendingAction unanswered(String callId, ActionKind kind, String toolName, String arguments) {
        return new PendingAction(callId, kind, toolName, arguments, null);
    }

    public boolean answered() {
        return answer != null;
    }

    /**
     * The SHA-256 of the call's arguments, {@code sha256:<hex>}: shown with the call, and named by an
     * approval to bind it to the arguments its approver saw (ADR 0033).
     */
    public String argumentsDigest() {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(arguments.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether a human approved this call (false while undecided or denied). */
    public boolean approved() {
        return answer != null && Boolean.TRUE.equals(answer.approve());
    }
}
