package dev.berth.deploy.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tool calls that go wrong never fail the run: the model reads what happened and goes on.
 * In-process {@link FlakyTools}; the tool timeout is 2 s in {@link ToolsTestResource}.
 */
@QuarkusTest
@TestProfile(ToolsProfile.class)
class ToolFailureTest {

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void invalidArgumentsAreNotPassedToTheToolAndTheModelIsToldWhatToFix() throws Exception {
        // Given a model that sends a string where the tool takes an integer
        String session = ToolsApi.sessionWithTools("checked_add");
        int callsBefore = FlakyTools.ADD_CALLS.get();
        BerthTestResource.fake().enqueue(FakeReply.toolCall("checked_add", "{\"a\":\"two\",\"b\":1}"),
                FakeReply.text("Let me fix that."));

        // When the run executes
        JsonNode run = ToolsApi.sendAndWait(session, "Add two and one");

        // Then the tool was not called, and the model read an error naming the field
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(FlakyTools.ADD_CALLS.get()).isEqualTo(callsBefore);
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isTrue();
        assertThat(result.get("output").asText()).startsWith("Invalid arguments for tool 'checked_add'").contains("'a'");
        assertThat(ToolsApi.lastMessageOfModelCall(1).get("content").asText()).contains("'a'");
    }

    @Test
    void aToolThatTakesTooLongTimesOutAndTheRunGoesOn() throws Exception {
        String session = ToolsApi.sessionWithTools("sleepy");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("sleepy", "{}"), FakeReply.text("It timed out."));

        JsonNode run = ToolsApi.sendAndWait(session, "Sleep");

        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("output").asText()).isEqualTo("It timed out.");
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isTrue();
        assertThat(result.get("output").asText()).isEqualTo("The tool 'sleepy' timed out after 2 s.");
    }

    @Test
    void aRunThatTimesOutInItsToolStepCommitsAResultForTheCallSoTheNextRunsRequestIsValid() throws Exception {
        // Given a run whose 1 s limit ends while its tool (2 s tool timeout) is still running
        String session = ToolsApi.sessionWithAgent(java.util.Map.of("tools", java.util.List.of("sleepy"),
                "limits", java.util.Map.of("runTimeoutSeconds", 1)));
        BerthTestResource.fake().enqueue(FakeReply.toolCall("sleepy", "{}"), FakeReply.text("Still here."));

        // When the run fails on its time limit, and the user writes again
        JsonNode run = ToolsApi.sendAndWait(session, "Sleep");
        assertThat(run.get("status").asText()).isEqualTo("failed");
        JsonNode next = ToolsApi.sendAndWait(session, "Hello?");

        // Then the log answers the call (ADR 0018), and the strict fake accepted the next run's request
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isTrue();
        assertThat(result.get("unanswered").asText()).isEqualTo("run_timeout");
        assertThat(next.get("status").asText()).as(next.toString()).isEqualTo("completed");
        assertThat(next.get("output").asText()).isEqualTo("Still here.");
    }

    @Test
    void aBlockingToolThatTakesTooLongTimesOutWhileItIsStillRunning() throws Exception {
        String session = ToolsApi.sessionWithTools("sleepy_blocking");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("sleepy_blocking", "{}"), FakeReply.text("Gave up."));
        long started = System.nanoTime();

        JsonNode run = ToolsApi.sendAndWait(session, "Block");

        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(ToolsApi.toolResult(session).get("output").asText())
                .isEqualTo("The tool 'sleepy_blocking' timed out after 2 s.");
        // The run did not wait for the 30 s the tool would have blocked.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(20));
    }

    @Test
    void aToolThatThrowsReportsAnInternalErrorWithoutItsDetails() throws Exception {
        String session = ToolsApi.sessionWithTools("explode");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("explode", "{}"), FakeReply.text("The tool broke."));

        JsonNode run = ToolsApi.sendAndWait(session, "Explode");

        assertThat(run.get("status").asText()).isEqualTo("completed");
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isTrue();
        assertThat(result.get("output").asText()).isEqualTo("The tool 'explode' failed with an internal error.")
                .doesNotContain("hunter2");
        assertThat(ToolsApi.lastMessageOfModelCall(1).get("content").asText()).doesNotContain("hunter2");
    }
}
