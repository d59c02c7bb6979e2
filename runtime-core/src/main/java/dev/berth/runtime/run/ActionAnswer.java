package dev.berth.runtime.run;

import java.util.Objects;

/**
 * A client's answer to one {@link PendingAction}: the {@code output} of a client-side tool,
 * or a decision ({@code approve} true or false, with an optional {@code reason}) on a call
 * that needs approval. Which fields fit is checked against the pending action's kind.
 *
 * @param argumentsDigest for an approval, the {@link PendingAction#argumentsDigest()} of the call
 *                        the approver saw (optional): the approval is refused when the call's
 *                        arguments are not those (ADR 0033)
 */
public record ActionAnswer(String callId, String output, Boolean approve, String reason, String argumentsDigest) {
    public ActionAnswer {
        Objects.requireNonNull(callId, "callId");
    }

    public ActionAnswer(String callId, String output, Boolean approve, String reason) {
        this(callId, output, approve, reason, null);
    }

    public static ActionAnswer output(String callId, String output) {
        return new ActionAnswer(callId, output, null, null);
    }

    public static ActionAnswer decision(String callId, boolean approve, String reason) {
        return new ActionAnswer(callId, null, approve, reason);
    }
}
