package dev.berth.deploy.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tool from a plugin jar that Berth loaded from its tools directory at start. */
@QuarkusTest
@TestProfile(ToolsProfile.class)
class PluginToolTest {

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aToolFromAPluginJarIsOfferedAndCalledInItsOwnClassLoader() throws Exception {
        // Given an agent with the plugin's tool (the broken plugin next to it was skipped at start)
        String session = ToolsApi.sessionWithTools("greet");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("greet", "{\"name\":\"Ada\"}"), FakeReply.text("Greeted."));

        // When a message is sent
        JsonNode run = ToolsApi.sendAndWait(session, "Say hello to Ada");

        // Then the plugin's tool ran, in the plugin's class loader, and the model read its output
        assertThat(run.get("status").asText()).isEqualTo("completed");
        JsonNode result = ToolsApi.toolResult(session);
        assertThat(result.get("error").asBoolean()).isFalse();
        assertThat(result.get("output").asText()).startsWith("Hello, Ada!").contains("berth-plugin-greeter.jar");
        assertThat(ToolsApi.offeredTool(0, "greet").get("description").asText()).isEqualTo("Greets someone by name.");
        assertThat(ToolsApi.lastMessageOfModelCall(1).get("content").asText()).startsWith("Hello, Ada!");
    }

    @Test
    void anAgentCannotNameAToolThatNoPluginProvides() {
        // The broken plugin's provider never loaded, so nothing of it is offered
        ToolsApi.admin().body(Map.of("instructions", "x", "model", "test-model", "tools", new String[] {"missing_provider"}))
                .put("/v1/agents/no-such-tool").then().statusCode(400);
    }
}
