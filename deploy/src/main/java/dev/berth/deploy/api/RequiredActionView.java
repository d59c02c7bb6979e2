package dev.berth.deploy.api;

import java.util.List;

/**
 * What a run in {@code requires_action} waits for: answer each call with
 * {@code POST /v1/runs/{id}/actions}.
 */
public record RequiredActionView(List<CallView> calls) {

    /**
     * One awaited call: {@code kind} is {@code client_tool} (send its output) or {@code approval}
     * (decide; send {@code argumentsDigest} back with the decision to bind it to these arguments).
     */
    public record CallView(String callId, String kind, String name, String arguments, String argumentsDigest) {
    }
}
