package dev.berth.runtime.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ChatResponse;
import dev.berth.model.ModelClient;
import dev.berth.model.ToolCall;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.internal.DocumentJson;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Folds events that fell out of the context window into the session's rolling summary with one
 * model call. The result is a {@code context.compacted} event, committed by the run like any
 * other step (fenced by the lease epoch), which records how far the summary reaches.
 */
final class Compactor {
    /** Each event's text is cut to this many characters in the transcript, so a huge tool output cannot flood it. */
    static final int MAX_EVENT_CHARS = 4_000;
    /** The summary is cut to this many characters (about 2,000 tokens). */
    static final int MAX_SUMMARY_CHARS = 8_000;
    static final String INSTRUCTIONS = """
            You maintain the running summary of a conversation between a user and an AI assistant. \
            Merge the previous summary and the new part of the conversation into one updated summary. \
            Keep facts about the user, their preferences, decisions, open tasks, names, numbers and tool \
            results that later turns may need; drop small talk. Write plain text, at most 300 words.""";

    private final ModelClient model;

    Compactor(ModelClient model) {
        this.model = model;
    }

    /** The compaction of {@code fold} (oldest first, non-empty) on top of the previous summary. */
    Uni<Compaction> compact(AgentDefinition agent, String previousSummary, List<Event> fold) {
        StringBuilder transcript = new StringBuilder();
        if (previousSummary != null) {
            transcript.append("Previous summary:\n").append(previousSummary).append("\n\n");
        }
        transcript.append("New part of the conversation:\n");
        for (Event event : fold) {
            String line = line(event);
            if (line != null) {
                transcript.append(line.length() > MAX_EVENT_CHARS ? line.substring(0, MAX_EVENT_CHARS) + " [...]" : line)
                        .append('\n');
            }
        }
        ChatRequest request = new ChatRequest(agent.spec().model(),
                List.of(new ChatMessage.System(INSTRUCTIONS), new ChatMessage.User(transcript.toString())),
                List.of(), null, null, 1_024, null, null);
        return model.chat(request).map(response -> new Compaction(event(response, fold), response));
    }

    /** The event to commit and the model's answer (for its usage). */
    record Compaction(NewEvent event, ChatResponse response) {
    }

    private static NewEvent event(ChatResponse response, List<Event> fold) {
        String summary = response.content() == null ? "" : response.content();
        // A model that ignores the completion limit must not let the summary grow with the session.
        if (summary.length() > MAX_SUMMARY_CHARS) {
            summary = summary.substring(0, MAX_SUMMARY_CHARS) + " [...]";
        }
        ObjectNode data = DocumentJson.object()
                .put("summary", summary)
                .put("fromSeq", fold.getFirst().seq())
                .put("throughSeq", fold.getLast().seq())
                .put("events", fold.size());
        return new NewEvent(EventType.CONTEXT_COMPACTED, data);
    }

    private static String line(Event event) {
        return switch (ContextAssembler.toMessage(event)) {
            case ChatMessage.User user -> "user: " + user.content();
            case ChatMessage.Assistant assistant -> {
                StringBuilder text = new StringBuilder("assistant: ");
                if (assistant.content() != null) {
                    text.append(assistant.content());
                }
                for (ToolCall call : assistant.toolCalls()) {
                    text.append(" [calls ").append(call.name()).append(' ').append(call.arguments()).append(']');
                }
                yield text.toString();
            }
            case ChatMessage.Tool tool -> "tool result: " + tool.content();
            case null, default -> null;
        };
    }
}
