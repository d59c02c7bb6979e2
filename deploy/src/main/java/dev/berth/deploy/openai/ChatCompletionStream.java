package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.Session;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunService;
import dev.berth.runtime.service.EventService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run as OpenAI's {@code chat.completion.chunk} server-sent events, ending with {@code data: [DONE]}
 * (ADR 0040). Built from the session's committed events, so any process can serve it: a first chunk
 * with the assistant's role, one chunk per committed answer text of the run, then, when the run's last
 * event is committed, a chunk with the finish reason, the usage chunk if asked for, and {@code [DONE]}.
 * A run that ends without an answer (failed, cancelled, paused for an action) ends the stream with
 * OpenAI's error object as the last event, which the SDKs raise. Token previews are not forwarded: the
 * text of each model answer arrives as one delta once it is committed.
 */
@ApplicationScoped
public class ChatCompletionStream {
    static final String DONE = "[DONE]";
    /** Marks the end of the stream; never sent. */
    private static final String END = new String("end");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventService events;
    private final RunService runs;

    @Inject
    public ChatCompletionStream(EventService events, RunService runs) {
        this.events = events;
        this.runs = runs;
    }

    /** The SSE frames ({@code data: ...} and a blank line) of {@code run}, submitted to {@code session}. */
    public Multi<String> frames(Session session, Run run, boolean includeUsage, String requestId) {
        Multi<String> first = Multi.createFrom().item(json(ChatCompletionViews.chunk(run,
                ChatCompletionViews.delta().put("role", "assistant").put("content", ""), null, includeUsage)));
        Multi<String> rest = events.follow(session, run.inputSeq())
                .select().where(event -> run.id().equals(event.runId()))
                .onItem().transformToUniAndConcatenate(event -> chunks(run, event, includeUsage, requestId))
                .onItem().transformToIterable(chunks -> chunks)
                .select().first(chunk -> chunk != END);
        return Multi.createBy().concatenating().streams(first, rest).map(data -> "data: " + data + "\n\n");
    }

    /** The chunks an event of the run gives; the run's last event adds the end of the stream. */
    private Uni<List<String>> chunks(Run run, Event event, boolean includeUsage, String requestId) {
        List<String> chunks = new ArrayList<>();
        JsonNode data = event.data();
        if (EventType.ASSISTANT_MESSAGE.equals(event.type()) && !data.path("text").asText("").isEmpty()) {
            chunks.add(json(ChatCompletionViews.chunk(run,
                    ChatCompletionViews.delta().put("content", data.get("text").asText()), null, includeUsage)));
        }
        boolean paused = EventType.RUN_REQUIRES_ACTION.equals(event.type());
        if (!paused && !EventService.endsRun(event, run.id())) {
            return Uni.createFrom().item(chunks);
        }
        return runs.get(run.tenant(), run.id()).map(settled -> {
            var problem = ChatCompletionViews.unanswered(settled, requestId);
            if (problem.isPresent()) {
                chunks.add(json(Map.of("error", OpenAiErrors.error(problem.get()))));
            } else {
                chunks.add(json(ChatCompletionViews.chunk(run, ChatCompletionViews.delta(),
                        ChatCompletionViews.finishReason(data), includeUsage)));
                if (includeUsage) {
                    chunks.add(json(ChatCompletionViews.usageChunk(settled)));
                }
                chunks.add(DONE);
            }
            chunks.add(END);
            return chunks;
        });
    }

    private static String json(Object view) {
        try {
            return JSON.writeValueAsString(view);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a chunk could not be written as JSON", e);
        }
    }
}
