package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseIncludable;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.StructuredResponse;
import com.openai.models.responses.StructuredResponseOutputItem;
import com.openai.models.responses.ToolChoiceFunction;
import com.openai.models.responses.WebSearchTool;
import dev.berth.deploy.openai.OpenAiIds;
import dev.berth.model.ToolCall;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a single response sets for its run (ADR 0036), driven by the official OpenAI Java SDK with its
 * strict validation on: the options reach the model, are stored with the run and shown by any later
 * read; what Berth cannot honour is refused with OpenAI's error object, and nothing is written.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ResponsesRunOptionsTest {
    @TestHTTPResource
    URL base;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void instructionsAndSettingsReachTheModelAndAreShownOnEveryRead() {
        // Given an agent
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Bonjour."));

        // When a response sets instructions, metadata, a temperature and an answer limit
        Response created = client().responses().create(ResponseCreateParams.builder().model(agent).input("Hello")
                .instructions("Answer in French.").temperature(0.2).maxOutputTokens(64)
                .metadata(ResponseCreateParams.Metadata.builder()
                        .putAdditionalProperty("ticket", JsonValue.from("T-42")).build())
                .build());

        // Then the model was sent the agent's instructions followed by the response's, and the settings
        JsonNode request = BerthTestResource.fake().requests().get(0);
        assertThat(request.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(request.at("/messages/0/content").asText()).isEqualTo("You are a test agent.\n\nAnswer in French.");
        assertThat(request.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(request.path("max_completion_tokens").asInt()).isEqualTo(64);
        assertThat(created.status()).contains(ResponseStatus.COMPLETED);
        // and a later read (from the run as stored) shows what the response set
        Response read = client().responses().retrieve(created.id());
        for (Response shown : List.of(created, read)) {
            assertThat(shown.instructions().orElseThrow().asString()).isEqualTo("Answer in French.");
            assertThat(shown.temperature()).contains(0.2);
            assertThat(shown.maxOutputTokens()).contains(64L);
            assertThat(shown.metadata().orElseThrow()._additionalProperties().get("ticket"))
                    .isEqualTo(JsonValue.from("T-42"));
        }
        // and the next response of the conversation, which sets nothing, is the agent's alone
        BerthTestResource.fake().enqueue(FakeReply.text("Hi."));
        Response next = client().responses().create(ResponseCreateParams.builder().model(agent).input("Again")
                .previousResponseId(created.id()).build());
        assertThat(BerthTestResource.fake().requests().get(1).at("/messages/0/content").asText())
                .isEqualTo("You are a test agent.");
        assertThat(next.instructions()).isEmpty();
        assertThat(next.metadata()).isEmpty();
    }

    @Test
    void aRunWithoutOptionsSendsWhatItAlwaysSent() {
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Hi."));

        Response created = client().responses().create(ResponseCreateParams.builder().model(agent).input("Hi").build());

        JsonNode request = BerthTestResource.fake().requests().get(0);
        assertThat(request.at("/messages/0/content").asText()).isEqualTo("You are a test agent.");
        for (String field : List.of("tools", "tool_choice", "parallel_tool_calls", "temperature",
                "max_completion_tokens", "response_format")) {
            assertThat(request.has(field)).as(field).isFalse();
        }
        assertThat(created.instructions()).isEmpty();
        assertThat(created.tools()).isEmpty();
        assertThat(created.text().orElseThrow().format().orElseThrow().isText()).isTrue();
        assertThat(created.maxOutputTokens()).isEmpty();
    }

    @Test
    void aFunctionToolOfTheRequestPausesTheRunForTheClientAndIsTheRunsOnly() {
        // Given an agent without client tools, and a response that offers one function, forced
        String agent = agent();
        BerthTestResource.fake().enqueue(
                new FakeReply.ToolCalls(List.of(new ToolCall("call_w", "get_weather", "{\"city\":\"Lyon\"}")), null),
                FakeReply.text("It is sunny in Lyon."));
        FunctionTool weather = FunctionTool.builder().name("get_weather").description("The weather in a city")
                .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .strict(false).build();

        // When the response is created
        Response paused = client().responses().create(ResponseCreateParams.builder().model(agent)
                .input("Weather in Lyon?").addTool(weather)
                .toolChoice(ToolChoiceFunction.builder().name("get_weather").build()).build());

        // Then the model was offered the function, forced, and the run waits for the client with the call
        JsonNode first = BerthTestResource.fake().requests().get(0);
        assertThat(first.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(first.at("/tool_choice/function/name").asText()).isEqualTo("get_weather");
        // (a response that ends in function calls is completed, as OpenAI's: ADR 0037)
        assertThat(paused.status()).contains(ResponseStatus.COMPLETED);
        ResponseFunctionToolCall call = paused.output().stream().filter(ResponseOutputItem::isFunctionCall)
                .map(ResponseOutputItem::asFunctionCall).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.callId()).isEqualTo("call_w");
        UUID run = OpenAiIds.parseResponse(paused.id());
        Api.admin().get("/v1/runs/" + run).then().statusCode(200).body("status",
                org.hamcrest.Matchers.equalTo("requires_action"));
        assertThat(paused.tools()).singleElement().satisfies(tool -> assertThat(tool.asFunction().name())
                .isEqualTo("get_weather"));

        // When the client answers through the native API
        Api.admin().body(Map.of("actions", List.of(Map.of("callId", "call_w", "output", "sunny"))))
                .post("/v1/runs/" + run + "/actions").then().statusCode(200);
        Api.admin().get("/v1/runs/" + run + "?wait=30").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("completed"));

        // Then the run went on with the result, its forced choice spent on its first call
        JsonNode second = BerthTestResource.fake().requests().get(1);
        assertThat(second.at("/tool_choice").asText()).isEqualTo("auto");
        assertThat(second.path("messages").toString()).contains("sunny");
        Response done = client().responses().retrieve(paused.id());
        assertThat(done.status()).contains(ResponseStatus.COMPLETED);
        assertThat(done.toolChoice().isFunction()).isTrue();

        // and the next response of the conversation is not offered the function
        BerthTestResource.fake().enqueue(FakeReply.text("Bye."));
        client().responses().create(ResponseCreateParams.builder().model(agent).input("Thanks")
                .previousResponseId(paused.id()).build());
        assertThat(BerthTestResource.fake().requests().get(2).has("tools")).isFalse();
    }

    /** The structured answer of {@link #structuredOutputReachesTheModelAndTheSdkParsesTheAnswer}. */
    public static class Forecast {
        public String city;
        public Sky sky;
    }

    public enum Sky { SUNNY, RAINY }

    @Test
    void structuredOutputReachesTheModelAndTheSdkParsesTheAnswer() {
        // Given an agent, and the fake model's own answer (no script): the simplest JSON the schema allows
        String agent = agent();

        // When the SDK's structured-output helper asks for a Forecast
        StructuredResponse<Forecast> answer = client().responses().create(ResponseCreateParams.builder()
                .model(agent).input("The forecast for Lyon?").text(Forecast.class).build());

        // Then the model was sent the class's schema as a strict json_schema
        JsonNode format = BerthTestResource.fake().requests().get(0).path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.at("/json_schema/strict").asBoolean()).isTrue();
        assertThat(format.at("/json_schema/schema/properties/sky/enum").toString()).contains("SUNNY");
        // and the SDK parsed the answer into the class
        Forecast forecast = answer.output().stream().map(StructuredResponseOutputItem::message)
                .flatMap(java.util.Optional::stream).flatMap(message -> message.content().stream())
                .flatMap(content -> content.outputText().stream()).findFirst().orElseThrow();
        assertThat(forecast.sky).isEqualTo(Sky.SUNNY);
        assertThat(forecast.city).isNotNull();
        // and a later read shows the format
        Response read = client().responses().retrieve(answer.id());
        assertThat(read.text().orElseThrow().format().orElseThrow().asJsonSchema().strict()).contains(true);
    }

    @Test
    void whatBerthCannotHonourIsRefusedByNameAndWritesNothing() {
        String agent = agent();
        String user = "u-" + UUID.randomUUID();
        Map<String, Consumer<ResponseCreateParams.Builder>> refused = Map.of(
                "max_output_tokens", b -> b.maxOutputTokens(15),
                "tools[0].type", b -> b.addTool(WebSearchTool.builder().type(WebSearchTool.Type.WEB_SEARCH).build()),
                "include[0]", b -> b.addInclude(ResponseIncludable.MESSAGE_OUTPUT_TEXT_LOGPROBS),
                "top_p", b -> b.topP(0.5),
                "tool_choice", b -> b.toolChoice(ToolChoiceFunction.builder().name("not_offered").build()),
                "temperature", b -> b.temperature(3.0));
        refused.forEach((param, setting) -> {
            ResponseCreateParams.Builder builder = ResponseCreateParams.builder().model(agent).input("Hi").user(user);
            setting.accept(builder);
            assertThatThrownBy(() -> client().responses().create(builder.build())).as(param)
                    .isInstanceOf(BadRequestException.class)
                    .satisfies(e -> assertThat(((OpenAIServiceException) e).param()).as(param).contains(param));
        });
        // No session was opened for the user, and the model was never called
        Api.admin().get("/v1/sessions?actorId=" + user).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
        assertThat(BerthTestResource.fake().requests()).isEmpty();
    }

    private static String agent() {
        String agent = "opts-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, agent);
        return agent;
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder()
                .baseUrl(base.toString().replaceAll("/$", "") + "/openai/v1")
                .apiKey(BerthTestResource.ADMIN_KEY)
                .responseValidation(true)
                .maxRetries(0)
                .build();
    }
}
