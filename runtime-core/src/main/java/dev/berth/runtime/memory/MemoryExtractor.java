package dev.berth.runtime.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ModelClient;
import dev.berth.model.ResponseFormat;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.MemoryPolicy;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.port.AgentStore;
import dev.berth.runtime.port.EventLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One extraction: reads the run's events (bounded), asks the model for memories with
 * structured output (a JSON schema), and stores them in the actor's namespace. Facts and
 * preferences carry a key (their subject): a memory with a known key replaces the old one
 * (consolidation), so a changed preference does not leave the old one behind. A session
 * summary is kept as one memory per session, replaced after every run.
 */
@ApplicationScoped
public class MemoryExtractor {
    /** Events of one run read for extraction; a longer run is extracted from its newest events. */
    static final int MAX_EVENTS = 200;
    static final int MAX_EVENT_CHARS = 2_000;

    private final EventLog events;
    private final AgentStore agents;
    private final MemoryService memory;
    private final ModelClient model;

    @Inject
    public MemoryExtractor(EventLog events, AgentStore agents, MemoryService memory, ModelClient model) {
        this.events = events;
        this.agents = agents;
        this.memory = memory;
        this.model = model;
    }

    /** @return how many memories were stored */
    public Uni<Integer> extract(MemoryJob job) {
        return agents.find(job.tenant(), job.agentName(), job.agentVersion())
                .map(found -> found.orElseThrow(() -> new NotFoundException("agent",
                        job.agentName() + "@" + job.agentVersion())))
                // The run's own events only, at most MAX_EVENTS of them: a bounded read.
                .chain(agent -> events.after(job.tenant(), job.sessionId(), job.fromSeq() - 1,
                                (int) Math.min(MAX_EVENTS, job.throughSeq() - job.fromSeq() + 1))
                        .map(all -> all.stream().filter(e -> e.seq() <= job.throughSeq()).toList())
                        .chain(window -> window.isEmpty() ? Uni.createFrom().item(0) : extract(job, agent, window)));
    }

    private Uni<Integer> extract(MemoryJob job, AgentDefinition agent, List<Event> window) {
        MemoryPolicy policy = agent.spec().memory();
        Set<String> strategies = Set.copyOf(policy.extraction());
        ChatRequest request = new ChatRequest(agent.spec().model(),
                List.of(new ChatMessage.System(instructions(strategies)), new ChatMessage.User(transcript(window))),
                List.of(), null, null, 1_024, 0.0, new ResponseFormat("memories", schema(), true));
        return model.chat(request).chain(response -> {
            JsonNode answer = DocumentJson.readObject(response.content() == null ? "{}" : response.content());
            List<MemoryService.Input> inputs = new ArrayList<>();
            Instant expires = policy.memoryTtl() == null ? null : Instant.now().plus(policy.memoryTtl());
            for (JsonNode item : answer.path("memories")) {
                String kind = item.path("kind").asText("");
                String content = item.path("content").asText("");
                if (content.isBlank() || !allowed(kind, strategies)) {
                    continue;
                }
                String key = "summary".equals(kind) ? "session:" + job.sessionId()
                        : item.path("key").asText("").isBlank() ? null : item.path("key").asText();
                inputs.add(new MemoryService.Input("actors/" + job.actorId(), kind, key, content, job.actorId(),
                        job.sessionId(), window.getFirst().seq(), window.getLast().seq(), expires));
            }
            // One after the other: two memories with one key in one answer must not race each other.
            Uni<Integer> stored = Uni.createFrom().item(0);
            for (MemoryService.Input input : inputs) {
                stored = stored.chain(count -> memory.remember(job.tenant(), input).replaceWith(count + 1));
            }
            return stored;
        });
    }

    private static boolean allowed(String kind, Set<String> strategies) {
        return switch (kind) {
            case "fact" -> strategies.contains("facts");
            case "preference" -> strategies.contains("preferences");
            case "summary" -> strategies.contains("session_summary");
            default -> false;
        };
    }

    static String instructions(Set<String> strategies) {
        StringBuilder text = new StringBuilder("""
                You extract long-term memories about the user from a conversation with an AI assistant. \
                Answer with JSON matching the schema. Each memory has a kind, a key and a content. The key names \
                the subject in snake_case (for example home_city, favourite_colour, diet), the same key for the \
                same subject every time, so that a changed fact replaces the old one. The content is one full \
                sentence about the user. Extract only what is stated by the user, never guesses. Kinds to extract:""");
        if (strategies.contains("facts")) {
            text.append("\n- fact: lasting facts about the user (name, home, work, family, plans)");
        }
        if (strategies.contains("preferences")) {
            text.append("\n- preference: what the user likes, dislikes or wants (style, food, tools)");
        }
        if (strategies.contains("session_summary")) {
            text.append("\n- summary: exactly one memory summarising this conversation (key: session)");
        }
        text.append("\nAnswer {\"memories\": []} when there is nothing worth remembering.");
        return text.toString();
    }

    private static String transcript(List<Event> window) {
        StringBuilder text = new StringBuilder();
        for (Event event : window) {
            String line = switch (event.type()) {
                case EventType.USER_MESSAGE -> "user: " + event.data().path("text").asText();
                case EventType.ASSISTANT_MESSAGE -> event.data().hasNonNull("text")
                        ? "assistant: " + event.data().path("text").asText() : null;
                default -> null;
            };
            if (line != null) {
                text.append(line.length() > MAX_EVENT_CHARS ? line.substring(0, MAX_EVENT_CHARS) : line).append('\n');
            }
        }
        return text.toString();
    }

    /** {"memories": [{"kind", "key", "content"}]}, strict: every property required, nothing else allowed. */
    static ObjectNode schema() {
        ObjectNode item = DocumentJson.object().put("type", "object").put("additionalProperties", false);
        ObjectNode props = item.putObject("properties");
        ArrayNode kinds = props.putObject("kind").put("type", "string").putArray("enum");
        kinds.add("fact").add("preference").add("summary");
        props.putObject("key").put("type", "string");
        props.putObject("content").put("type", "string");
        item.putArray("required").add("kind").add("key").add("content");
        ObjectNode schema = DocumentJson.object().put("type", "object").put("additionalProperties", false);
        ObjectNode list = schema.putObject("properties").putObject("memories").put("type", "array");
        list.set("items", item);
        schema.putArray("required").add("memories");
        return schema;
    }
}
