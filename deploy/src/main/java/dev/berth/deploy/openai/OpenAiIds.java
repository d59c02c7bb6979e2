package dev.berth.deploy.openai;

import dev.berth.runtime.error.NotFoundException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * OpenAI-style ids over Berth's UUIDs: {@code resp_<run>}, {@code conv_<session>}, {@code msg_<run>_<seq>},
 * {@code fc_<run>_<seq>_<n>}, {@code fco_<run>_<seq>} and {@code chatcmpl-<run>} (a chat completion, ADR 0040),
 * each UUID written as 32 hex digits without dashes. An item no run made (history a client gave, ADR 0039)
 * is named over its session instead of a run. They are computed, never stored, so every process gives the
 * same id for the same run, session or event (ADR 0035).
 * A run that paused for its client is several responses, one per segment ({@link ResponseSegments}):
 * {@code resp_<run>} the first, {@code resp_<run>_<seq>} the one that starts at event {@code seq}; an
 * approval request is {@code mcpr_<sha-256 of the arguments>_<call id>} (ADR 0037).
 */
public final class OpenAiIds {
    static final String RESPONSE = "resp_";
    static final String CONVERSATION = "conv_";
    static final String APPROVAL_REQUEST = "mcpr_";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SEGMENT = Pattern.compile("([0-9a-f]{32})(?:_([1-9][0-9]{0,17}))?");
    private static final Pattern APPROVAL = Pattern.compile("([0-9a-f]{64})_(.+)", Pattern.DOTALL);
    private static final String DIGEST = "sha256:";

    private OpenAiIds() {
    }

    public static String response(UUID run) {
        return RESPONSE + hex(run);
    }

    public static String conversation(UUID session) {
        return CONVERSATION + hex(session);
    }

    /** A chat completion: the run it started; OpenAI writes these with a dash. */
    static String chatCompletion(UUID run) {
        return "chatcmpl-" + hex(run);
    }

    static String message(UUID run, long seq) {
        return "msg_" + hex(run) + "_" + seq;
    }

    static String functionCall(UUID run, long seq, int index) {
        return "fc_" + hex(run) + "_" + seq + "_" + index;
    }

    static String functionCallOutput(UUID run, long seq) {
        return "fco_" + hex(run) + "_" + seq;
    }

    /** What an item's id is over: the run that made its event, or the session when no run did (ADR 0039). */
    static UUID itemOwner(dev.berth.runtime.domain.Event event) {
        return event.runId() != null ? event.runId() : event.sessionId();
    }

    /**
     * An item id taken apart: {@code kind} is {@code msg}, {@code fc} or {@code fco}; {@code owner} the run or
     * session; {@code seq} the event; {@code index} the call's place in its answer (0 but for {@code fc}).
     */
    record ItemId(String kind, UUID owner, long seq, int index) {
        /** Whether this id names the item of this event (the same owner), whatever kind of item it is. */
        boolean names(dev.berth.runtime.domain.Event event) {
            return event.seq() == seq && owner.equals(itemOwner(event));
        }
    }

    private static final Pattern ITEM = Pattern.compile("(msg|fc|fco)_([0-9a-f]{32})_([0-9]{1,18})(?:_([0-9]{1,4}))?");

    /** The parts of an item id; anything else names nothing (404, as an unknown item). */
    static ItemId parseItem(String id) {
        java.util.regex.Matcher m = id == null ? null : ITEM.matcher(id);
        if (m == null || !m.matches() || ("fc".equals(m.group(1)) != (m.group(4) != null))) {
            throw new NotFoundException("item", id);
        }
        String hex = m.group(2);
        UUID owner = new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
        return new ItemId(m.group(1), owner, Long.parseLong(m.group(3)), m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
    }

    /** The response of the segment of {@code run} that starts at event {@code seq}, not the run's first. */
    static String segment(UUID run, long seq) {
        return RESPONSE + hex(run) + "_" + seq;
    }

    static String mcpCall(UUID run, long seq, int index) {
        return "mcp_" + hex(run) + "_" + seq + "_" + index;
    }

    /** An approval request, bound to the arguments of the call ({@code sha256:<hex>}, ADR 0033's digest). */
    static String approvalRequest(String callId, String argumentsDigest) {
        return APPROVAL_REQUEST + argumentsDigest.substring(DIGEST.length()) + "_" + callId;
    }

    /** The run a {@code resp_} id names (of any of its segments); anything else names nothing (404, as an unknown id). */
    public static UUID parseResponse(String id) {
        return parseSegment(id).run();
    }

    /**
     * A response id as run and segment: {@code start} is the event the segment starts at, or 0 for the
     * run's first segment ({@code resp_<run>}).
     */
    public record ResponseRef(UUID run, long start) {
        public boolean first() {
            return start == 0;
        }
    }

    public static ResponseRef parseSegment(String id) {
        var matcher = id == null || !id.startsWith(RESPONSE) ? null : SEGMENT.matcher(id).region(RESPONSE.length(), id.length());
        if (matcher == null || !matcher.matches()) {
            throw new NotFoundException("response", id);
        }
        return new ResponseRef(uuid(matcher.group(1)), matcher.group(2) == null ? 0 : Long.parseLong(matcher.group(2)));
    }

    /** An approval request as the call it asks about and the digest of the arguments it showed. */
    public record ApprovalRef(String callId, String argumentsDigest) {
    }

    /** Null when {@code id} is not an approval request id of ours. */
    public static ApprovalRef parseApprovalRequest(String id) {
        var matcher = id == null || !id.startsWith(APPROVAL_REQUEST) ? null
                : APPROVAL.matcher(id).region(APPROVAL_REQUEST.length(), id.length());
        return matcher == null || !matcher.matches() ? null : new ApprovalRef(matcher.group(2), DIGEST + matcher.group(1));
    }

    /** The session a conversation id names: {@code conv_<hex>}, or a bare Berth session UUID. */
    public static UUID parseConversation(String id) {
        return parse(id, CONVERSATION, "conversation", true);
    }

    private static UUID parse(String id, String prefix, String what, boolean bareAllowed) {
        if (id != null && id.startsWith(prefix) && HEX.matcher(id).region(prefix.length(), id.length()).matches()) {
            return uuid(id.substring(prefix.length()));
        }
        if (bareAllowed && id != null) {
            try {
                return UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                // falls through: not an id of ours
            }
        }
        throw new NotFoundException(what, id);
    }

    private static UUID uuid(String hex) {
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    private static String hex(UUID id) {
        return id.toString().replace("-", "");
    }
}
