package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The return of control driven by the official OpenAI Java SDK, strict validation on (ADR 0037): a run
 * that pauses for a client-side tool is a response that ends in a function_call, answered with a
 * function_call_output in the next request; a call that needs approval is an mcp_approval_request,
 * answered with an mcp_approval_response. The continuation is a new response of the same run.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class OpenAiFunctionCallTest {
    private static final Map<String, Object> LOCATION_TOOL = Map.of("name", "get_location",
            "description", "The user's location, from their device.",
            "parameters", Map.of("type", "object", "properties", Map.of("precision", Map.of("type", "string"))));

    @TestHTTPResource
    URL base;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aFunctionCallIsAnsweredWithItsOutputAndTheRunContinuesAsANewResponse() {
        // Given an agent with a client-side tool, which the model calls
        String agent = agent(Map.of("clientTools", List.of(LOCATION_TOOL)));
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(new ToolCall("call_loc", "get_location",
                "{\"precision\":\"city\"}")), null), FakeReply.text("You are in Lyon."));
        OpenAIClient client = client();

        // When a response is created
        Response first = client.responses().create(ResponseCreateParams.builder().model(agent).input("Where am I?").build());

        // Then it is completed with the call for the client to execute, as OpenAI's would be
        assertThat(first.status()).contains(ResponseStatus.COMPLETED);
        assertThat(first.output()).hasSize(1);
        ResponseFunctionToolCall call = first.output().getFirst().asFunctionCall();
        assertThat(call.callId()).isEqualTo("call_loc");
        assertThat(call.name()).isEqualTo("get_location");
        assertThat(call.arguments()).isEqualTo("{\"precision\":\"city\"}");

        // When the client sends the output, continuing that response
        Response second = client.responses().create(ResponseCreateParams.builder().model(agent)
                .previousResponseId(first.id())
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId(call.callId()).output("Lyon, France").build())))
                .build());

        // Then a new response of the same run carries the final answer, and the model read the output
        assertThat(second.id()).startsWith(first.id() + "_");
        assertThat(second.status()).contains(ResponseStatus.COMPLETED);
        assertThat(second.previousResponseId()).contains(first.id());
        assertThat(text(second)).isEqualTo("You are in Lyon.");
        assertThat(second.output()).noneMatch(ResponseOutputItem::isFunctionCall);
        JsonNode read = lastMessageOfModelCall(1);
        assertThat(read.get("tool_call_id").asText()).isEqualTo("call_loc");
        assertThat(read.get("content").asText()).isEqualTo("Lyon, France");
        assertThat(BerthTestResource.fake().requests()).hasSize(2);

        // and each response reads back as it was answered, from its own id
        Response firstAgain = client.responses().retrieve(first.id());
        assertThat(firstAgain.status()).contains(ResponseStatus.COMPLETED);
        assertThat(firstAgain.output()).singleElement().satisfies(item -> assertThat(item.asFunctionCall().callId())
                .isEqualTo("call_loc"));
        Response secondAgain = client.responses().retrieve(second.id());
        assertThat(secondAgain.id()).isEqualTo(second.id());
        assertThat(text(secondAgain)).isEqualTo("You are in Lyon.");
        // one Berth run behind both, completed
        Api.admin().get("/v1/runs/" + runId(first.id())).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("completed"));
    }

    @Test
    void anApprovedCallIsAnMcpApprovalRequestThenAnMcpCallWithItsOutput() {
        // Given a server-side tool that needs approval, which the model calls
        String agent = agent(Map.of("tools", List.of("current_time"), "approvalRequired", List.of("current_time")));
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(new ToolCall("call_t", "current_time",
                "{\"timeZone\":\"UTC\"}")), null), FakeReply.text("It is noon."));
        OpenAIClient client = client();

        Response asked = client.responses().create(ResponseCreateParams.builder().model(agent).input("Time?").build());

        // Then the response asks for approval: an mcp_approval_request, and no function_call to execute
        assertThat(asked.status()).contains(ResponseStatus.COMPLETED);
        ResponseOutputItem.McpApprovalRequest request = asked.output().getFirst().asMcpApprovalRequest();
        assertThat(asked.output()).hasSize(1);
        assertThat(request.name()).isEqualTo("current_time");
        assertThat(request.serverLabel()).isEqualTo("berth");
        assertThat(request.arguments()).isEqualTo("{\"timeZone\":\"UTC\"}");

        // When the client approves
        Response approved = client.responses().create(decision(agent, asked.id(), request.id(), true, null));

        // Then the call was executed once approved, shown as an mcp_call naming the request, and the run completed
        ResponseOutputItem.McpCall executed = approved.output().getFirst().asMcpCall();
        assertThat(executed.name()).isEqualTo("current_time");
        assertThat(executed.approvalRequestId()).contains(request.id());
        assertThat(executed.output().orElseThrow()).isNotBlank();
        assertThat(text(approved)).isEqualTo("It is noon.");
        assertThat(lastMessageOfModelCall(1).get("content").asText()).isEqualTo(executed.output().orElseThrow());
    }

    @Test
    void aDeniedCallIsNotExecutedAndTheModelReadsTheReason() {
        String agent = agent(Map.of("tools", List.of("current_time"), "approvalRequired", List.of("current_time")));
        BerthTestResource.fake().enqueue(new FakeReply.ToolCalls(List.of(new ToolCall("call_no", "current_time",
                "{\"timeZone\":\"UTC\"}")), null), FakeReply.text("I may not tell the time."));
        OpenAIClient client = client();
        Response asked = client.responses().create(ResponseCreateParams.builder().model(agent).input("Time?").build());
        String requestId = asked.output().getFirst().asMcpApprovalRequest().id();

        Response denied = client.responses().create(decision(agent, asked.id(), requestId, false, "not on Sundays"));

        assertThat(denied.output()).noneMatch(ResponseOutputItem::isMcpCall);
        assertThat(text(denied)).isEqualTo("I may not tell the time.");
        assertThat(lastMessageOfModelCall(1).get("content").asText()).contains("denied").contains("not on Sundays");
    }

    private static ResponseCreateParams decision(String agent, String previous, String requestId, boolean approve,
            String reason) {
        ResponseInputItem.McpApprovalResponse.Builder answer = ResponseInputItem.McpApprovalResponse.builder()
                .approvalRequestId(requestId).approve(approve);
        if (reason != null) {
            answer.reason(reason);
        }
        return ResponseCreateParams.builder().model(agent).previousResponseId(previous)
                .inputOfResponse(List.of(ResponseInputItem.ofMcpApprovalResponse(answer.build()))).build();
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder()
                .baseUrl(base.toString().replaceAll("/$", "") + "/openai/v1")
                .apiKey(BerthTestResource.ADMIN_KEY)
                .responseValidation(true)
                .maxRetries(0)
                .build();
    }

    private static String agent(Map<String, Object> definition) {
        String agent = "fc-" + UUID.randomUUID();
        Map<String, Object> body = new java.util.HashMap<>(definition);
        body.put("instructions", "You use tools.");
        body.put("model", "test-model");
        Api.admin().body(body).put("/v1/agents/" + agent).then().statusCode(201);
        return agent;
    }

    /** The Berth run a response id names, whichever segment. */
    static String runId(String responseId) {
        String hex = responseId.substring("resp_".length(), "resp_".length() + 32);
        return hex.replaceFirst("(\\p{XDigit}{8})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}+)",
                "$1-$2-$3-$4-$5");
    }

    private static JsonNode lastMessageOfModelCall(int index) {
        JsonNode messages = BerthTestResource.fake().requests().get(index).get("messages");
        return messages.get(messages.size() - 1);
    }

    private static String text(Response response) {
        return response.output().stream().filter(ResponseOutputItem::isMessage)
                .flatMap(item -> item.asMessage().content().stream())
                .map(content -> content.asOutputText().text())
                .reduce("", String::concat);
    }
}
