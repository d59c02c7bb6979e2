package dev.berth.deploy.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Execution policy per tool, configured in {@link ToolsTestResource}: {@code shaky} is retried
 * up to 3 times after 50 ms, {@code scarce} runs at most once at a time per process.
 */
@QuarkusTest
@TestProfile(ToolsProfile.class)
class ToolPolicyTest {

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aRetryableToolErrorIsRetriedWithTheSameKeyUntilTheToolSucceeds() throws Exception {
        // Given a tool that fails retryably twice per call, then answers
        String session = ToolsApi.sessionWithTools("shaky");
        int callsBefore = FlakyTools.SHAKY_CALLS.get();
        BerthTestResource.fake().enqueue(FakeReply.toolCall("shaky", "{}"), FakeReply.text("It worked."));

        // When the run executes
        JsonNode run = ToolsApi.sendAndWait(session, "Try the shaky one");

        // Then the tool ran three times within one step, and the model read only the success
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(FlakyTools.SHAKY_CALLS.get() - callsBefore).isEqualTo(3);
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isFalse();
        assertThat(result.get("output").asText()).isEqualTo("steady after 3 tries");
        assertThat(result.get("retries").asInt()).isEqualTo(2);
        assertThat(result.get("attempt").asInt()).isEqualTo(1);
        // The tool saw its retries as such (attempt 2 and 3, so isRetry() was true).
        assertThat(FlakyTools.SHAKY_ATTEMPTS.subList(FlakyTools.SHAKY_ATTEMPTS.size() - 3,
                FlakyTools.SHAKY_ATTEMPTS.size())).containsExactly(1, 2, 3);
        assertThat(ToolsApi.lastMessageOfModelCall(1).get("content").asText()).isEqualTo("steady after 3 tries");
    }

    @Test
    void aNonRetryableToolErrorIsNotRetried() throws Exception {
        String session = ToolsApi.sessionWithTools("refuses");
        int callsBefore = FlakyTools.BROKEN_CALLS.get();
        BerthTestResource.fake().enqueue(FakeReply.toolCall("refuses", "{}"), FakeReply.text("It refused."));

        JsonNode run = ToolsApi.sendAndWait(session, "Ask the refusing one");

        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(FlakyTools.BROKEN_CALLS.get() - callsBefore).isEqualTo(1);
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isTrue();
        assertThat(result.get("retries").asInt()).isZero();
        assertThat(result.get("output").asText()).isEqualTo("No, and asking again will not help.");
    }

    @Test
    void aToolLimitedToOneExecutionAtATimeRunsItsParallelCallsOneAfterTheOther() throws Exception {
        // Given three calls of the limited tool in one turn, and three of an unlimited twin
        String limited = ToolsApi.sessionWithTools("scarce");
        BerthTestResource.fake().enqueue(
                FakeReply.toolCalls(new ToolCall("s1", "scarce", "{}"), new ToolCall("s2", "scarce", "{}"),
                        new ToolCall("s3", "scarce", "{}")),
                FakeReply.text("Done with the scarce one."));
        String unlimited = ToolsApi.sessionWithTools("plentiful");

        // When both runs execute
        JsonNode limitedRun = ToolsApi.sendAndWait(limited, "Use the scarce resource three times");
        BerthTestResource.fake().enqueue(
                FakeReply.toolCalls(new ToolCall("p1", "plentiful", "{}"), new ToolCall("p2", "plentiful", "{}"),
                        new ToolCall("p3", "plentiful", "{}")),
                FakeReply.text("Done with the plentiful one."));
        JsonNode unlimitedRun = ToolsApi.sendAndWait(unlimited, "Use the plentiful resource three times");

        // Then the limited calls never overlapped, while the unlimited ones did
        assertThat(limitedRun.get("status").asText()).isEqualTo("completed");
        assertThat(unlimitedRun.get("status").asText()).isEqualTo("completed");
        assertThat(FlakyTools.LIMITED.calls()).isEqualTo(3);
        assertThat(FlakyTools.LIMITED.most()).isEqualTo(1);
        assertThat(FlakyTools.UNLIMITED.most()).isEqualTo(3);
        List<JsonNode> results = ToolsApi.eventsOfType(limited, "tool.result");
        assertThat(results).hasSize(3).allSatisfy(result -> assertThat(result.get("error").asBoolean()).isFalse());
    }
}
