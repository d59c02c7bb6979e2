package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.ChatMessage;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.MemoryPolicy;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.memory.MemoryBlock;
import dev.berth.runtime.memory.MemoryRecord;
import dev.berth.runtime.tools.ToolRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ContextAssemblerTest {
    private static final UUID SESSION = UUID.randomUUID();
    private final ContextAssembler assembler = new ContextAssembler(new ToolRegistry(List.of()));

    @Test
    void keepsTheNewestEventsThatFitAndReportsTheRestAsDropped() {
        // Given 40 messages of about 50 tokens each, and a budget of 600 tokens
        List<Event> window = new ArrayList<>();
        for (int seq = 1; seq <= 40; seq++) {
            window.add(seq % 2 == 1 ? user(seq, "word ".repeat(50)) : assistant(seq, "reply ".repeat(50)));
        }

        // When the context is assembled
        ContextAssembler.Assembled assembled = assembler.assemble(agent(600),
                new StepContext(null, window, List.of(), List.of()));

        // Then only the newest messages are sent, within the budget, and the older ones are to be compacted
        assertThat(assembled.inputTokens()).isLessThanOrEqualTo(600);
        int sent = assembled.request().messages().size() - 1;
        assertThat(sent).isBetween(8, 12);
        assertThat(assembled.dropped()).hasSize(40 - sent);
        assertThat(assembled.dropped().getLast().seq()).isEqualTo(40 - sent);
    }

    @Test
    void aToolCallAndItsResultsAreNeverSplit() {
        // Given an exchange whose tool result is large, after an older user message
        List<Event> window = List.of(
                user(1, "hello ".repeat(20)),
                toolCall(2, "c1"),
                toolResult(3, "c1", "data ".repeat(300)),
                assistant(4, "done"));

        // When the budget holds the final answer and the result, but not the call as well
        ContextAssembler.Assembled assembled = assembler.assemble(agent(256),
                new StepContext(null, window, List.of(), List.of()));

        // Then the exchange is dropped whole: no tool result without its call
        assertThat(assembled.request().messages()).noneMatch(m -> m instanceof ChatMessage.Tool);
        assertThat(assembled.dropped()).extracting(Event::seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    void compactionNeverFoldsPastInputQueuedForALaterRun() {
        // Given a run's window in which input for a later run (seq 2) sits between this run's events
        List<Event> all = new ArrayList<>();
        all.add(user(1, "first ".repeat(100)));
        all.add(user(2, "queued for the next run"));
        for (int seq = 3; seq <= 8; seq++) {
            all.add(assistant(seq, "step ".repeat(100)));
        }
        StepContext context = new StepContext(null, all, List.of(), List.of()).filter(e -> e.seq() != 2);

        // When the run compacts, keeping little
        List<Event> fold = assembler.toFold(agent(256), context, 0);

        // Then only what lies before the queued input is folded
        assertThat(fold).extracting(Event::seq).containsExactly(1L);
    }

    @Test
    void instructionsBlocksMemoriesAndSummaryComeFirst() {
        Event summary = new Event(SESSION, 9, null, EventType.CONTEXT_COMPACTED,
                DocumentJson.object().put("summary", "They met before.").put("throughSeq", 8), Instant.now());
        MemoryRecord memory = new MemoryRecord(UUID.randomUUID(), "actors/a", "fact", "city", "Lives in Oslo.", "a",
                null, null, null, Instant.now(), Instant.now(), null);
        ContextAssembler.Assembled assembled = assembler.assemble(agent(4_000), new StepContext(summary,
                List.of(user(10, "hi")), List.of(new MemoryBlock("actors/a", "profile", "Name: Ann", Instant.now())),
                List.of(memory)));

        String system = ((ChatMessage.System) assembled.request().messages().getFirst()).content();
        assertThat(system).startsWith("Be brief.").contains("Name: Ann").contains("Lives in Oslo.")
                .contains("They met before.");
        assertThat(system.indexOf("Name: Ann")).isLessThan(system.indexOf("Lives in Oslo."));
        assertThat(system.indexOf("Lives in Oslo.")).isLessThan(system.indexOf("They met before."));
    }

    private static AgentDefinition agent(int budget) {
        AgentSpec spec = new AgentSpec("Be brief.", "gpt-4o", List.of(), null, null, List.of(), List.of(), List.of(),
                List.of(), new MemoryPolicy(budget, 0, null, null, null, null));
        return new AgentDefinition(new TenantId(UUID.randomUUID()), "a", 1, spec, Instant.now());
    }

    private static Event user(long seq, String text) {
        return new Event(SESSION, seq, null, EventType.USER_MESSAGE, DocumentJson.object().put("text", text), Instant.now());
    }

    private static Event assistant(long seq, String text) {
        return new Event(SESSION, seq, null, EventType.ASSISTANT_MESSAGE, DocumentJson.object().put("text", text),
                Instant.now());
    }

    private static Event toolCall(long seq, String callId) {
        var data = DocumentJson.object();
        data.putNull("text");
        data.putArray("toolCalls").addObject().put("id", callId).put("name", "lookup").put("arguments", "{}");
        return new Event(SESSION, seq, null, EventType.ASSISTANT_MESSAGE, data, Instant.now());
    }

    private static Event toolResult(long seq, String callId, String output) {
        return new Event(SESSION, seq, null, EventType.TOOL_RESULT,
                DocumentJson.object().put("callId", callId).put("output", output), Instant.now());
    }
}
