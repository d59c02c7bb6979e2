package dev.berth.deploy.memory;

import static dev.berth.deploy.memory.MemoryApi.agentCalls;
import static dev.berth.deploy.memory.MemoryApi.allText;
import static dev.berth.deploy.memory.MemoryApi.compactionCalls;
import static dev.berth.deploy.memory.MemoryApi.events;
import static dev.berth.deploy.memory.MemoryApi.send;
import static dev.berth.deploy.memory.MemoryApi.systemText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compaction end to end: events that no longer fit the agent's token budget are folded into a
 * summary by a model call, committed as a {@code context.compacted} event, and the next call
 * carries the summary instead of them; a {@code context_length_exceeded} answer triggers a
 * compaction and one retry.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class CompactionTest {

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void eventsBeyondTheTokenBudgetAreSummarisedAndReplacedBySummary() {
        // Given an agent with a 300-token context budget and a first turn of about 200 tokens
        MemoryApi.defineAgent("compact-budget", Map.of("contextTokens", 300));
        String session = MemoryApi.openSession("compact-budget", "carol");
        BerthTestResource.fake().enqueue(FakeReply.text("first answer"));
        send(session, "marker-one " + "apple ".repeat(200)).body("output", equalTo("first answer"));
        assertThat(compactionCalls()).as("the first turn fits: no compaction").isEmpty();

        // When a second turn of 200 tokens pushes the first one out of the budget
        BerthTestResource.fake().enqueue(FakeReply.text("SUMMARY-ONE: the user listed apples."),
                FakeReply.text("second answer"));
        send(session, "marker-two " + "pear ".repeat(200))
                .body("status", equalTo("completed"))
                .body("output", equalTo("second answer"));

        // Then the older turn was summarised by a model call, committed as an event with how far it reaches
        assertThat(compactionCalls()).hasSize(1);
        assertThat(allText(compactionCalls().getFirst())).contains("marker-one").doesNotContain("marker-two");
        List<Map<String, Object>> events = events(session);
        assertThat(events).extracting(e -> e.get("type")).containsExactly("user.message", "assistant.message",
                "user.message", "context.compacted", "assistant.message");
        @SuppressWarnings("unchecked")
        Map<String, Object> compacted = (Map<String, Object>) events.get(3).get("data");
        assertThat(compacted).containsEntry("throughSeq", 2).containsEntry("fromSeq", 1);
        // and the model's next call carried the summary instead of the folded events, and the new input
        JsonNode last = agentCalls().getLast();
        assertThat(systemText(last)).contains("SUMMARY-ONE");
        assertThat(allText(last)).doesNotContain("marker-one").contains("marker-two");
        BerthTestResource.fake().assertScriptConsumed();
    }

    @Test
    void contextLengthExceededTriggersCompactionAndOneRetry() {
        // Given a session with a first turn, under the default (large) budget
        MemoryApi.defineAgent("compact-overflow", Map.of());
        String session = MemoryApi.openSession("compact-overflow", "dave");
        BerthTestResource.fake().enqueue(FakeReply.text("Have a nice trip."));
        send(session, "I am planning a trip to Japan.");

        // When the model refuses the next call's context as too long
        BerthTestResource.fake().enqueue(
                FakeReply.error(400, "context_length_exceeded", "This model's maximum context length is 128000 tokens."),
                FakeReply.text("SUMMARY-TWO: the user plans a trip to Japan."),
                FakeReply.text("Pack light."));
        send(session, "What should I pack?")
                // Then the older events are compacted and the call is retried once, successfully
                .body("status", equalTo("completed"))
                .body("output", equalTo("Pack light."));
        assertThat(compactionCalls()).hasSize(1);
        JsonNode retried = agentCalls().getLast();
        assertThat(systemText(retried)).contains("SUMMARY-TWO");
        assertThat(allText(retried)).doesNotContain("I am planning a trip").contains("What should I pack?");
        assertThat(events(session)).extracting(e -> e.get("type")).contains("context.compacted");
        BerthTestResource.fake().assertScriptConsumed();
    }

    @Test
    void aSecondContextLengthExceededFailsTheRunWithThatCode() {
        // Given a session with a first turn
        MemoryApi.defineAgent("compact-twice", Map.of());
        String session = MemoryApi.openSession("compact-twice", "erin");
        BerthTestResource.fake().enqueue(FakeReply.text("ok"));
        send(session, "Remember that I like maps.");

        // When the model refuses the context even after a compaction
        BerthTestResource.fake().enqueue(
                FakeReply.error(400, "context_length_exceeded", "too long"),
                FakeReply.text("SUMMARY-THREE"),
                FakeReply.error(400, "context_length_exceeded", "still too long"));

        // Then the run fails with context_length_exceeded after exactly one retry
        send(session, "And now?")
                .body("status", equalTo("failed"))
                .body("error.code", equalTo("context_length_exceeded"));
        assertThat(compactionCalls()).hasSize(1);
        BerthTestResource.fake().assertScriptConsumed();
    }
}
