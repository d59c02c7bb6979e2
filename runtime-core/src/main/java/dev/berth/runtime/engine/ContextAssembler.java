package dev.berth.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ToolCall;
import dev.berth.model.ToolDefinition;
import dev.berth.runtime.cpu.CpuWork;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.memory.MemoryBlock;
import dev.berth.runtime.memory.MemoryRecord;
import dev.berth.runtime.memory.TokenCounter;
import dev.berth.runtime.run.team.TeamTools;
import dev.berth.runtime.tools.ToolRegistry;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns an agent and a {@link StepContext} into one stateless model call within the agent's
 * token budget: instructions, pinned blocks, recalled memories and the session summary first,
 * then the newest events that fit. Events are taken in whole exchanges (an assistant message
 * with tool calls and its results are one), newest first and without gaps, so a tool result
 * never appears without its call, nor a call without its result. Each run's events are shown
 * together after its input: input queued while an earlier run was still working (in its tool
 * step, paused for a client or an approval) comes after that run's events, not between its calls
 * and their results (ADR 0018). Tokens are counted with the model family's tokenizer.
 *
 * <p>Counting is CPU work that grows with the context: {@link #offLoop} runs it on the
 * {@link CpuWork} pool when there is much to count, so that no event loop is held by it.
 * The methods themselves are plain functions that run on the calling thread.
 */
final class ContextAssembler {
    private final ToolRegistry tools;
    private final CpuWork cpu;
    private final ClientToolDefinitions clientTools = new ClientToolDefinitions();

    /** An assembler that counts on the calling thread (tests). */
    ContextAssembler(ToolRegistry tools) {
        this(tools, null);
    }

    /** @param cpu where large counting work runs, fairly between tenants; null: the calling thread */
    ContextAssembler(ToolRegistry tools, CpuWork cpu) {
        this.tools = tools;
        this.cpu = cpu;
    }

    /**
     * The request, the events of the window that did not fit (to be compacted), and the tokens
     * left for events after instructions, memory and tools.
     */
    record Assembled(ChatRequest request, List<Event> dropped, int inputTokens, int eventBudget) {
        boolean overflowed() {
            return !dropped.isEmpty();
        }
    }

    /**
     * Runs work of this assembler for the agent's step: inline when little is left to count,
     * otherwise on the CPU pool under the agent's tenant, with the result back on the caller's context.
     */
    <T> Uni<T> offLoop(AgentDefinition agent, StepContext context, Supplier<T> work) {
        return cpu == null ? Uni.createFrom().item(work) : cpu.run(agent.tenant(), uncountedChars(agent, context), work);
    }

    /**
     * About how many characters a step would have to token-count: every client tool schema of a
     * version not counted before (taken as unbounded), and the texts the counter does not remember.
     */
    long uncountedChars(AgentDefinition agent, StepContext context) {
        if (clientTools.uncounted(agent)) {
            return Long.MAX_VALUE;
        }
        TokenCounter counter = TokenCounter.forModel(agent.spec().model());
        long chars = counter.uncountedChars(systemText(agent, context));
        for (Event event : context.window()) {
            ChatMessage message = toMessage(event);
            if (message != null) {
                chars += counter.uncountedChars(textOf(message));
            }
        }
        return chars;
    }

    Assembled assemble(AgentDefinition agent, StepContext context) {
        TokenCounter counter = TokenCounter.forModel(agent.spec().model());
        List<ToolDefinition> definitions = toolDefinitions(agent);
        String system = systemText(agent, context);
        int fixed = counter.message(system) + toolTokens(counter, definitions, agent);
        List<Unit> units = units(context.window(), counter);
        int budget = agent.spec().memory().contextTokens() - fixed;
        int kept = fit(units, budget);
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(new ChatMessage.System(system));
        List<Event> dropped = new ArrayList<>();
        int tokens = fixed;
        for (int i = 0; i < units.size(); i++) {
            if (i < units.size() - kept) {
                dropped.addAll(units.get(i).events());
            } else {
                messages.addAll(units.get(i).messages());
                tokens += units.get(i).tokens();
            }
        }
        ChatRequest request = new ChatRequest(agent.spec().model(), messages, definitions, null, null,
                agent.spec().limits().maxCompletionTokens(), null, null);
        return new Assembled(request, dropped, tokens, budget);
    }

    /**
     * The events to fold into the summary so that the newest exchanges kept verbatim take at most
     * {@code keepTokens}; always keeps the newest exchange. Empty when there is nothing to fold.
     */
    List<Event> toFold(AgentDefinition agent, StepContext context, int keepTokens) {
        List<Unit> units = units(context.window(), TokenCounter.forModel(agent.spec().model()));
        int kept = fit(units, keepTokens);
        int foldable = 0;
        long highest = 0;
        for (int i = 0; i < units.size() - kept; i++) {
            for (Event event : units.get(i).events()) {
                highest = Math.max(highest, event.seq());
            }
            if (highest >= context.foldBelow()) {
                break; // would fold past input another run has yet to answer
            }
            // The summary reaches a sequence number: fold only where no unfolded event lies below it
            // (units are in run order, so a run's exchange may end after input queued meanwhile).
            if (highest < lowestSeq(units, i + 1)) {
                foldable = i + 1;
            }
        }
        List<Event> fold = new ArrayList<>();
        units.subList(0, foldable).forEach(unit -> fold.addAll(unit.events()));
        fold.sort(Comparator.comparingLong(Event::seq));
        return fold;
    }

    private static long lowestSeq(List<Unit> units, int from) {
        long lowest = Long.MAX_VALUE;
        for (int i = from; i < units.size(); i++) {
            for (Event event : units.get(i).events()) {
                lowest = Math.min(lowest, event.seq());
            }
        }
        return lowest;
    }

    /** How many of the newest units fit the budget, contiguously; at least the newest one. */
    private static int fit(List<Unit> units, int budget) {
        int used = 0;
        int kept = 0;
        for (int i = units.size() - 1; i >= 0; i--) {
            int cost = units.get(i).tokens();
            if (kept > 0 && used + cost > budget) {
                break;
            }
            used += cost;
            kept++;
        }
        return kept;
    }

    private static String systemText(AgentDefinition agent, StepContext context) {
        StringBuilder text = new StringBuilder(agent.spec().instructions());
        if (!context.blocks().isEmpty()) {
            text.append("\n\n# Memory blocks (pinned; edit them with the memory_block tool)");
            for (MemoryBlock block : context.blocks()) {
                text.append("\n[").append(block.label()).append(" @ ").append(block.namespace()).append("]\n")
                        .append(block.content());
            }
        }
        if (!context.recalled().isEmpty()) {
            text.append("\n\n# Things you remember (long-term memory)");
            for (MemoryRecord memory : context.recalled()) {
                text.append("\n- (").append(memory.kind()).append(") ").append(memory.content());
            }
        }
        if (context.summary() != null) {
            text.append("\n\n# Summary of the earlier conversation (events up to ").append(context.summaryThroughSeq())
                    .append(")\n").append(context.summaryText());
        }
        return text.toString();
    }

    /** The tokens of the tools: Berth's and the team's counted now (small), the client's as counted once per version. */
    private int toolTokens(TokenCounter counter, List<ToolDefinition> definitions, AgentDefinition agent) {
        ClientToolDefinitions.Counted client = clientTools.of(agent);
        int tokens = client.tokens();
        for (ToolDefinition definition : definitions.subList(0, definitions.size() - client.definitions().size())) {
            tokens += toolTokens(counter, definition);
        }
        return tokens;
    }

    static int toolTokens(TokenCounter counter, ToolDefinition definition) {
        return counter.count(definition.name()) + counter.count(definition.description())
                + counter.count(String.valueOf(definition.parameters())) + TokenCounter.MESSAGE_OVERHEAD;
    }

    /**
     * Whole exchanges: a user message, a plain answer, or an answer with tool calls and their results.
     * {@code unanswered} holds the calls of an exchange still waiting for their result.
     */
    private record Unit(List<Event> events, List<ChatMessage> messages, Set<String> unanswered, int[] tokenBox) {
        int tokens() {
            return tokenBox[0];
        }

        void add(Event event, ChatMessage message, int tokens) {
            events.add(event);
            add(message, tokens);
        }

        void add(ChatMessage message, int tokens) {
            messages.add(message);
            tokenBox[0] += tokens;
        }

        /**
         * Closes the exchange: a call the log holds no result for (a run that ended without one, written
         * before results of cancelled calls were committed) is answered here, so no request carries a
         * call without its result, which the model services refuse.
         */
        void close(TokenCounter counter) {
            for (String callId : unanswered) {
                ChatMessage.Tool missing = new ChatMessage.Tool(callId, NO_RESULT);
                add(missing, counter.message(NO_RESULT));
            }
            unanswered.clear();
        }
    }

    /** The result shown for a call the log holds none for. */
    static final String NO_RESULT = "No result: the run ended before this call was answered.";

    /**
     * The server-side tools Berth executes, the team's tools (sub-agents, handoffs), then the
     * client-side tools the client executes.
     */
    private List<ToolDefinition> toolDefinitions(AgentDefinition agent) {
        List<ToolDefinition> definitions = new ArrayList<>(tools.definitions(agent.spec().tools()));
        definitions.addAll(TeamTools.definitions(agent.spec()));
        definitions.addAll(clientTools.of(agent).definitions());
        return definitions;
    }

    /**
     * After a handoff the new agent sees a filtered history: before the newest {@code handoff}
     * event only the user's messages and the assistant's texts are kept; the previous agents'
     * tool calls and results are dropped (their tools may not even exist for the new agent).
     */
    private static List<Unit> units(List<Event> log, TokenCounter counter) {
        List<Event> window = inRunOrder(withoutHidden(log));
        List<Unit> units = new ArrayList<>();
        Unit exchange = null;
        int handoff = lastHandoff(window);
        for (int i = 0; i < window.size(); i++) {
            Event event = window.get(i);
            ChatMessage message = i < handoff ? textOnly(toMessage(event)) : toMessage(event);
            if (message == null) {
                continue;
            }
            int tokens = counter.message(textOf(message));
            if (message instanceof ChatMessage.Tool tool) {
                // A result whose call is not in the window (the window began inside the exchange), or a
                // second result for a call, is left out.
                if (exchange != null && exchange.unanswered().remove(tool.toolCallId())) {
                    exchange.add(event, message, tokens);
                }
                continue;
            }
            if (exchange != null) {
                exchange.close(counter);
            }
            Unit unit = new Unit(new ArrayList<>(), new ArrayList<>(), new LinkedHashSet<>(), new int[1]);
            unit.add(event, message, tokens);
            units.add(unit);
            exchange = null;
            if (message instanceof ChatMessage.Assistant assistant && !assistant.toolCalls().isEmpty()) {
                assistant.toolCalls().forEach(call -> unit.unanswered().add(call.id()));
                exchange = unit;
            }
        }
        if (exchange != null) {
            exchange.close(counter);
        }
        return units;
    }

    /**
     * The window without the items a client hid ({@code item.hidden} marks, ADR 0039). A mark always
     * follows its item, so a window that holds the item holds its mark too.
     */
    static List<Event> withoutHidden(List<Event> window) {
        Set<Long> hidden = new java.util.HashSet<>();
        for (Event event : window) {
            if (EventType.ITEM_HIDDEN.equals(event.type())) {
                hidden.add(event.data().path("seq").asLong(-1));
            }
        }
        return hidden.isEmpty() ? window : window.stream().filter(event -> !hidden.contains(event.seq())).toList();
    }

    /**
     * The window in conversation order: runs execute one after another, so each run's events follow its
     * input, and input queued for a later run while a run was working moves after that run's events.
     * A run whose input lies before the window is older than every input in it; events of no run keep
     * their place.
     */
    static List<Event> inRunOrder(List<Event> window) {
        Map<UUID, Long> inputs = new HashMap<>();
        for (Event event : window) {
            if (EventType.USER_MESSAGE.equals(event.type()) && event.runId() != null) {
                inputs.putIfAbsent(event.runId(), event.seq());
            }
        }
        List<Event> ordered = new ArrayList<>(window);
        ordered.sort(Comparator.comparingLong((Event event) -> runKey(event, inputs)).thenComparingLong(Event::seq));
        return ordered;
    }

    private static long runKey(Event event, Map<UUID, Long> inputs) {
        if (event.runId() == null) {
            return event.seq();
        }
        return inputs.getOrDefault(event.runId(), Long.MIN_VALUE);
    }

    private static int lastHandoff(List<Event> window) {
        for (int i = window.size() - 1; i >= 0; i--) {
            if (EventType.HANDOFF.equals(window.get(i).type())) {
                return i;
            }
        }
        return -1;
    }

    /** A message from before a handoff: tool exchanges dropped, texts kept. */
    private static ChatMessage textOnly(ChatMessage message) {
        return switch (message) {
            case ChatMessage.Tool ignored -> null;
            case ChatMessage.Assistant assistant when !assistant.toolCalls().isEmpty() ->
                    assistant.content() == null || assistant.content().isBlank() ? null
                            : new ChatMessage.Assistant(assistant.content(), List.of());
            case null -> null;
            default -> message;
        };
    }

    private static String textOf(ChatMessage message) {
        return switch (message) {
            case ChatMessage.User user -> user.content();
            case ChatMessage.Tool tool -> tool.content();
            case ChatMessage.Assistant assistant -> {
                StringBuilder text = new StringBuilder(assistant.content() == null ? "" : assistant.content());
                for (ToolCall call : assistant.toolCalls()) {
                    text.append(call.name()).append(call.arguments());
                }
                yield text.toString();
            }
            case ChatMessage.System system -> system.content();
        };
    }

    static ChatMessage toMessage(Event event) {
        JsonNode data = event.data();
        return switch (event.type()) {
            case EventType.USER_MESSAGE -> new ChatMessage.User(data.path("text").asText());
            case EventType.ASSISTANT_MESSAGE -> {
                List<ToolCall> calls = EventPayloads.toolCalls(data);
                String text = EventPayloads.textOrNull(data, "text");
                yield text == null && calls.isEmpty() ? null : new ChatMessage.Assistant(text, calls);
            }
            case EventType.TOOL_RESULT -> new ChatMessage.Tool(data.path("callId").asText(),
                    data.path("output").asText());
            default -> null;
        };
    }
}
