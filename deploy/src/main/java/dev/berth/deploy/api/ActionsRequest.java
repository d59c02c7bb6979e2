package dev.berth.deploy.api;

import java.util.List;

/**
 * Body of {@code POST /v1/runs/{id}/actions}: answers to some or all of what a paused run
 * waits for. Each action names a call and carries either {@code output} (a client-side
 * tool's result) or {@code approve} (a decision on a call that needs approval) with an
 * optional {@code reason}.
 */
public record ActionsRequest(List<Action> actions) {

    /**
     * One answer; {@code argumentsDigest} (optional, approvals only) binds the decision to the
     * arguments the approver saw: the call's {@code argumentsDigest} in {@code requiredAction}.
     */
    public record Action(String callId, String output, Boolean approve, String reason, String argumentsDigest) {
    }
}
