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
 */
public final class OpenAiIds {
    static final String RESPONSE = "resp_";
    static final String CONVERSATION = "conv_";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{32}");

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

    /** The run a {@code resp_} id names; anything else names nothing (404, as an unknown id). */
    public static UUID parseResponse(String id) {
        return parse(id, RESPONSE, "response", false);
    }

    /** The session a conversation id names: {@code conv_<hex>}, or a bare Berth session UUID. */
    public static UUID parseConversation(String id) {
        return parse(id, CONVERSATION, "conversation", true);
    }

    private static UUID parse(String id, String prefix, String what, boolean bareAllowed) {
        if (id != null && id.startsWith(prefix) && HEX.matcher(id).region(prefix.length(), id.length()).matches()) {
            String hex = id.substring(prefix.length());
            return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
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

    private static String hex(UUID id) {
        return id.toString().replace("-", "");
    }
}
