package dev.berth.runtime.engine;

import dev.berth.model.ToolCall;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.run.ActionKind;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.tools.ToolOutcome;
import java.util.Map;

/**
 * What a human's approval authorises (ADR 0033): the one call it was given for, by call id, tool
 * name and arguments, and only while the agent's policy still allows the tool when it is about to
 * run. An approval is single-use by construction: it answers one pending action of one pause, and
 * the call it authorises leaves the run's pending calls once its result is committed.
 */
final class ApprovalBinding {
    private ApprovalBinding() {
    }

    /** Whether a decision was taken on this call at all (approved or not). */
    static boolean decided(PendingAction action) {
        return action != null && action.kind() == ActionKind.APPROVAL && action.answered();
    }

    /** Whether the approval was given for exactly this call: the same tool with the same arguments. */
    static boolean authorises(PendingAction action, ToolCall call) {
        return action != null && action.approved() && action.callId().equals(call.id())
                && action.toolName().equals(call.name()) && action.arguments().equals(call.arguments());
    }

    /** Whether the agent's latest version still lets this approved call run. */
    static boolean stillAllowed(AgentDefinition latest, ToolCall call) {
        return latest != null && latest.spec().tools().contains(call.name());
    }

    /** The result of an approved call whose tool or arguments are not those the approval was given for: not run. */
    static ToolOutcome mismatch(ToolCall call) {
        return refused(call, "The call to '" + call.name() + "' was not executed: the approval given for call '"
                + call.id() + "' was for another tool or other arguments.");
    }

    /** The result of an approved call the agent's policy no longer allows: not run. */
    static ToolOutcome disallowed(ToolCall call, AgentDefinition latest) {
        return refused(call, "The call to '" + call.name() + "' was approved but not executed: the agent's policy no"
                + " longer allows the tool" + (latest == null ? "." : " (version " + latest.version() + ")."));
    }

    private static ToolOutcome refused(ToolCall call, String text) {
        return new ToolOutcome(call.id(), call.name(), text, true, 0, Map.of());
    }
}
