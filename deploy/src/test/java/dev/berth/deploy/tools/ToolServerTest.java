package dev.berth.deploy.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tools written with the SDK and served by a BerthToolServer ({@code desk}), used over MCP. */
@QuarkusTest
@TestProfile(ToolsProfile.class)
class ToolServerTest {

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aRemoteSdkToolGetsTheIdempotencyKeyAndSessionOfTheCall() throws Exception {
        // Given an agent with a tool of the SDK tool server
        String session = ToolsApi.sessionWithTools("desk__lookup_order");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("desk__lookup_order", "{\"orderId\":\"O-7\"}"),
                FakeReply.text("It ships tomorrow."));

        // When a message is sent
        JsonNode run = ToolsApi.sendAndWait(session, "When does O-7 ship?");

        // Then the remote tool answered, and saw the call's idempotency key and session through _meta
        assertThat(run.get("status").asText()).isEqualTo("completed");
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isFalse();
        assertThat(result.get("output").asText())
                .startsWith("Order O-7 ships tomorrow.")
                .contains("key " + result.get("idempotencyKey").asText() + ",")
                .contains("session " + session + "]");
        assertThat(result.get("idempotencyKey").asText()).startsWith(run.get("id").asText() + ":");
        // and the model was offered the SDK's generated schema, strict
        JsonNode offered = ToolsApi.offeredTool(0, "desk__lookup_order");
        assertThat(offered.get("parameters").get("required").get(0).asText()).isEqualTo("orderId");
        assertThat(offered.path("strict").asBoolean()).isTrue();
    }

    @Test
    void aToolExceptionOfARemoteToolReachesTheModelAsAnError() throws Exception {
        String session = ToolsApi.sessionWithTools("desk__cancel_order");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("desk__cancel_order", "{\"orderId\":\"O-7\"}"),
                FakeReply.text("It cannot be cancelled."));

        JsonNode run = ToolsApi.sendAndWait(session, "Cancel O-7");

        assertThat(run.get("status").asText()).isEqualTo("completed");
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isTrue();
        assertThat(result.get("output").asText()).isEqualTo("Order O-7 cannot be cancelled: it has shipped.");
    }
}
