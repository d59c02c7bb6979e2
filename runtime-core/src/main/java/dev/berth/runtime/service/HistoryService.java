package dev.berth.runtime.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.port.EventLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * History that no run made (ADR 0039): messages and function calls a client gives a session (the
 * items of a conversation, the messages of a chat completion), and the hiding of an item.
 *
 * <p>Items become events of the kinds a run writes ({@code user.message}, {@code assistant.message},
 * {@code tool.result}), with no run and {@code "source":"history"}: the context assembler sends them
 * to the model exactly as it sends a finished run's input and answer. They are appended only while no
 * run of the session is live ({@code session-busy} otherwise), so they never land inside a run's
 * exchange. Hiding appends an {@link EventType#ITEM_HIDDEN} mark; the log is never rewritten.
 */
@ApplicationScoped
public class HistoryService {
    /** At most this many items per call (OpenAI takes 20 per request; a chat history may be longer). */
    public static final int MAX_ITEMS = 500;
    /** The event kinds that are conversation items. */
    public static final Set<String> ITEM_TYPES = Set.of(EventType.USER_MESSAGE, EventType.ASSISTANT_MESSAGE,
            EventType.TOOL_RESULT);
    /** Marks an event as history a client gave, not the work of a run. */
    public static final String SOURCE = "history";

    private final EventLog events;

    @Inject
    public HistoryService(EventLog events) {
        this.events = events;
    }

    /** One item of history. */
    public sealed interface Item {
        /** A message of the actor. */
        record UserMessage(String text) implements Item {
        }

        /** A text answer of the assistant. */
        record AssistantMessage(String text) implements Item {
        }

        /** A call the assistant made; consecutive calls become one answer with several calls. */
        record FunctionCall(String callId, String name, String arguments) implements Item {
        }

        /** The output of an earlier call. */
        record FunctionCallOutput(String callId, String output) implements Item {
        }
    }

    /**
     * Appends the items to the session's log, oldest first, in one transaction; nothing is written
     * when any item is invalid. 404 for an unknown session, 409 {@code session-busy} while a run of it
     * is live, 409 {@code session-expired}.
     *
     * @return the events written, oldest first (one per item, but consecutive function calls share one)
     */
    public Uni<List<Event>> append(TenantId tenant, UUID sessionId, List<Item> items) {
        return events.append(tenant, sessionId, toEvents(items), true);
    }

    /** The events the items become; {@link ValidationException} naming {@code items[i]} for a bad one. */
    static List<NewEvent> toEvents(List<Item> items) {
        if (items == null || items.size() > MAX_ITEMS) {
            throw ValidationException.field("items", "must be a list of at most " + MAX_ITEMS + " items");
        }
        List<NewEvent> written = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        com.fasterxml.jackson.databind.node.ArrayNode calls = null;
        for (int i = 0; i < items.size(); i++) {
            String where = "items[" + i + "]";
            Item item = items.get(i);
            if (!(item instanceof Item.FunctionCall)) {
                calls = null;
            }
            switch (item) {
                case Item.UserMessage user -> written.add(new NewEvent(EventType.USER_MESSAGE,
                        history().put("text", text(where, user.text()))));
                case Item.AssistantMessage assistant -> {
                    ObjectNode data = history().put("text", text(where, assistant.text()));
                    data.putArray("toolCalls");
                    written.add(new NewEvent(EventType.ASSISTANT_MESSAGE, data.put("final", true)));
                }
                case Item.FunctionCall call -> {
                    InputLimits.identifier(where + ".call_id", call.callId());
                    InputLimits.identifier(where + ".name", call.name());
                    String arguments = call.arguments() == null ? "{}" : call.arguments();
                    if (arguments.length() > InputLimits.MAX_TEXT_CHARS) {
                        throw ValidationException.field(where + ".arguments",
                                "must be at most " + InputLimits.MAX_TEXT_CHARS + " characters");
                    }
                    if (names.put(call.callId(), call.name()) != null) {
                        throw ValidationException.field(where + ".call_id", "is given to another call already");
                    }
                    if (calls == null) {
                        ObjectNode answer = history().putNull("text");
                        calls = answer.putArray("toolCalls");
                        written.add(new NewEvent(EventType.ASSISTANT_MESSAGE, answer.put("final", false)));
                    }
                    calls.addObject()
                            .put("id", call.callId()).put("name", call.name()).put("arguments", arguments);
                }
                case Item.FunctionCallOutput output -> {
                    InputLimits.identifier(where + ".call_id", output.callId());
                    written.add(new NewEvent(EventType.TOOL_RESULT, history()
                            .put("callId", output.callId())
                            .put("name", names.getOrDefault(output.callId(), ""))
                            .put("output", text(where + ".output", output.output()))));
                }
                case null -> throw ValidationException.field(where, "is required");
            }
        }
        return written;
    }

    /**
     * The session's items that are not hidden, from {@code fromSeq} on (inclusive), oldest first or
     * newest first; at most {@code limit} events.
     */
    public Uni<List<Event>> visible(TenantId tenant, UUID sessionId, long fromSeq, boolean newestFirst, int limit) {
        if (limit < 1 || limit > EventService.MAX_PAGE) {
            throw ValidationException.field("limit", "must be between 1 and " + EventService.MAX_PAGE);
        }
        return events.visible(tenant, sessionId, ITEM_TYPES, EventType.ITEM_HIDDEN, fromSeq, newestFirst, limit);
    }

    /** The item at {@code seq}, if it is one and is not hidden; else 404 ({@code what} and {@code id} name it). */
    public Uni<Event> item(TenantId tenant, UUID sessionId, long seq, String what, String id) {
        return visible(tenant, sessionId, seq, false, 1).map(found -> {
            if (found.isEmpty() || found.getFirst().seq() != seq) {
                throw new NotFoundException(what, id);
            }
            return found.getFirst();
        });
    }

    /**
     * Hides the item at {@code seq} from later model calls and item lists by appending a mark (the
     * item stays in the log). Allowed while a run is live: the mark never splits an exchange, and a run
     * already under way sees it at its next fresh read of the session. 404 when there is no such
     * visible item.
     */
    public Uni<Event> hide(TenantId tenant, UUID sessionId, long seq, String what, String id) {
        return item(tenant, sessionId, seq, what, id)
                .chain(item -> events.append(tenant, sessionId,
                        List.of(new NewEvent(EventType.ITEM_HIDDEN, DocumentJson.object().put("seq", seq))), false))
                .map(List::getFirst);
    }

    private static ObjectNode history() {
        return DocumentJson.object().put("source", SOURCE);
    }

    private static String text(String where, String text) {
        if (text == null) {
            throw ValidationException.field(where, "is required");
        }
        if (text.length() > InputLimits.MAX_TEXT_CHARS) {
            throw ValidationException.field(where, "must be at most " + InputLimits.MAX_TEXT_CHARS + " characters");
        }
        return text;
    }
}
