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
 * Tools of MCP servers: the npm reference server {@code server-everything} over streamable
 * HTTP ({@code everything}) and over stdio ({@code everystdio}, started by Berth itself).
 */
@QuarkusTest
@TestProfile(ToolsProfile.class)
class McpServerToolsTest {

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void theReferenceServersEchoToolAnswersOverStreamableHttp() throws Exception {
        // Given an agent with the reference server's echo tool
        String session = ToolsApi.sessionWithTools("everything__echo");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("everything__echo", "{\"message\":\"hi\"}"),
                FakeReply.text("It echoed."));

        // When a message is sent
        JsonNode run = ToolsApi.sendAndWait(session, "Echo hi");

        // Then the model was offered the tool with the server's schema, and read the server's answer
        assertThat(run.get("status").asText()).isEqualTo("completed");
        JsonNode offered = ToolsApi.offeredTool(0, "everything__echo");
        assertThat(offered.get("parameters").get("properties").has("message")).isTrue();
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isFalse();
        assertThat(result.get("output").asText()).isEqualTo("Echo: hi");
        assertThat(ToolsApi.lastMessageOfModelCall(1).get("content").asText()).isEqualTo("Echo: hi");
    }

    @Test
    void theReferenceServersEchoToolAnswersOverStdio() throws Exception {
        String session = ToolsApi.sessionWithTools("everystdio__echo");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("everystdio__echo", "{\"message\":\"over stdio\"}"),
                FakeReply.text("It echoed."));

        JsonNode run = ToolsApi.sendAndWait(session, "Echo over stdio");

        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(ToolsApi.toolResult(session).get("output").asText()).isEqualTo("Echo: over stdio");
    }

    @Test
    void argumentsThatDoNotFitTheServersSchemaGoBackToTheModel() throws Exception {
        // Given a model that forgets the required 'message'
        String session = ToolsApi.sessionWithTools("everything__echo");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("everything__echo", "{\"text\":\"hi\"}"),
                FakeReply.text("Sorry."));

        // When the run executes
        JsonNode run = ToolsApi.sendAndWait(session, "Echo hi");

        // Then Berth did not call the server and the model read what to correct
        assertThat(run.get("status").asText()).isEqualTo("completed");
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isTrue();
        assertThat(result.get("output").asText())
                .startsWith("Invalid arguments for tool 'everything__echo'")
                .contains("message");
        assertThat(ToolsApi.lastMessageOfModelCall(1).get("content").asText()).contains("Invalid arguments");
    }
}
