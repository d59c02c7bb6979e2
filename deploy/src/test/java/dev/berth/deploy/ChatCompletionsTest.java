package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire of {@code /openai/v1/chat/completions} beyond what the SDK test shows: every refusal is
 * OpenAI's error object naming the parameter, before anything is written; the body, not the Accept
 * header, chooses SSE; the session is durable and the actor's; a run that gives no answer is an error
 * (ADR 0040).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ChatCompletionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "/openai/v1/chat/completions";

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void badInputIsAnOpenAiErrorNamingTheParameterAndWritesNothing() {
        String agent = agent();
        String user = "u-" + UUID.randomUUID();
        List<Map<String, Object>> hi = List.of(Map.of("role", "user", "content", "Hi"));
        Map<String, Object> refusals = new LinkedHashMap<>();
        refusals.put("model", body(null, hi, Map.of()));
        refusals.put("messages", body(agent, List.of(), Map.of()));
        refusals.put("messages[1].role", body(agent, List.of(Map.of("role", "user", "content", "Hi"),
                Map.of("role", "assistant", "content", "Hello")), Map.of()));
        refusals.put("temperature", body(agent, hi, Map.of("temperature", 3)));
        refusals.put("max_tokens", body(agent, hi, Map.of("max_tokens", 10, "max_completion_tokens", 10)));
        refusals.put("messages", body(agent, List.of(Map.of("role", "system", "content", "Be brief.")), Map.of()));
        refusals.put("messages[1].tool_calls", body(agent, List.of(Map.of("role", "user", "content", "Hi"),
                Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of("id", "c1", "type", "function",
                        "function", Map.of("name", "f", "arguments", "{}")))), Map.of("role", "user", "content", "Go")),
                Map.of()));
        refusals.put("messages[0].content[0].type", body(agent, List.of(Map.of("role", "user", "content",
                List.of(Map.of("type", "image_url", "image_url", Map.of("url", "https://x/y.png"))))), Map.of()));
        refusals.put("messages[0].content", body(agent, List.of(Map.of("role", "user", "content",
                "x".repeat(100_001))), Map.of()));
        refusals.put("tools", body(agent, hi, Map.of("tools", List.of(Map.of("type", "function",
                "function", Map.of("name", "f"))))));
        refusals.put("frequency_penalty", body(agent, hi, Map.of("frequency_penalty", 0.5)));
        refusals.put("n", body(agent, hi, Map.of("n", 2)));
        refusals.put("store", body(agent, hi, Map.of("store", true)));
        refusals.put("stream_options", body(agent, hi, Map.of("stream_options", Map.of("include_usage", true))));
        refusals.put("stream", body(agent, hi, Map.of("stream", "yes")));

        SoftAssertions softly = new SoftAssertions();
        refusals.forEach((param, request) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> withUser = new LinkedHashMap<>((Map<String, Object>) request);
            withUser.put("user", user);
            Response answer = Api.admin().body(withUser).post(CHAT);
            softly.assertThat(answer.statusCode()).as(param).isEqualTo(400);
            softly.assertThat(answer.contentType()).as(param).startsWith("application/json");
            softly.assertThat(answer.jsonPath().getString("error.type")).as(param).isEqualTo("invalid_request_error");
            softly.assertThat(answer.jsonPath().getString("error.param")).as(param).isEqualTo(param);
            softly.assertThat(answer.jsonPath().getString("error.message")).as(param).startsWith(param + ":");
        });
        softly.assertAll();
        // An unknown agent: 404, OpenAI's shape
        Api.admin().body(Map.of("model", "no-such-agent", "messages", hi, "user", user)).post(CHAT).then()
                .statusCode(404).body("error.code", equalTo("not_found"));
        // and none of them opened a session for the user or called the model
        Api.admin().get("/v1/sessions?actorId=" + user).then().statusCode(200).body("items.size()", equalTo(0));
        assertThat(BerthTestResource.fake().requests()).isEmpty();
    }

    @Test
    void theBodyNotTheAcceptHeaderChoosesServerSentEvents() throws Exception {
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("One."), FakeReply.text("Two."));
        List<Map<String, Object>> hi = List.of(Map.of("role", "user", "content", "Hi"));

        // stream: true with curl's Accept is SSE: data lines, the last one [DONE]
        Response streamed = Api.admin().accept("*/*").body(body(agent, hi, Map.of("stream", true))).post(CHAT);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.contentType()).startsWith("text/event-stream");
        List<String> data = new ArrayList<>();
        for (String frame : streamed.asString().split("\n\n")) {
            assertThat(frame).startsWith("data: ");
            data.add(frame.substring("data: ".length()));
        }
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String chunk : data.subList(0, data.size() - 1)) {
            chunks.add(JSON.readTree(chunk));
        }
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks).extracting(chunk -> chunk.path("id").asText()).containsOnly(chunks.getFirst().path("id").asText());
        assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.stream().map(chunk -> chunk.at("/choices/0/delta/content").asText("")).reduce("", String::concat))
                .isEqualTo("One.");

        // no stream with an SSE Accept is JSON
        Api.admin().accept("text/event-stream").body(body(agent, hi, Map.of())).post(CHAT).then().statusCode(200)
                .contentType(ContentType.JSON).body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo("Two."));
    }

    @Test
    void theSessionIsDurableAndTheUsersAndHoldsTheConversation() throws Exception {
        String agent = agent();
        String user = "ann-" + UUID.randomUUID();
        BerthTestResource.fake().enqueue(FakeReply.text("Paris."));

        String id = Api.admin().body(Map.of("model", agent, "user", user, "messages", List.of(
                Map.of("role", "user", "content", "I am in France."),
                Map.of("role", "assistant", "content", List.of(Map.of("type", "text", "text", "Lovely."))),
                Map.of("role", "user", "content", "Capital?")))).post(CHAT).then().statusCode(200)
                .body("id", startsWith("chatcmpl-")).extract().path("id");

        // The user's session holds the history given, then the run's input and answer
        String session = Api.admin().get("/v1/sessions?actorId=" + user).then().statusCode(200)
                .body("items.size()", equalTo(1)).extract().path("items[0].id");
        JsonNode events = JSON.readTree(Api.admin().get("/v1/sessions/" + session + "/events").then().statusCode(200)
                .extract().asString()).get("items");
        List<String> log = new ArrayList<>();
        for (JsonNode event : events) {
            log.add(event.path("type").asText() + ": " + event.path("data").path("text").asText());
        }
        assertThat(log).containsExactly("user.message: I am in France.", "assistant.message: Lovely.",
                "user.message: Capital?", "assistant.message: Paris.");
        // and the completion's id is the run's
        String run = events.get(3).path("runId").asText();
        assertThat(id).isEqualTo("chatcmpl-" + run.replace("-", ""));
    }

    @Test
    void aRunThatFailsIsAnErrorNotAnEmptyAnswer() throws Exception {
        String agent = agent();
        List<Map<String, Object>> hi = List.of(Map.of("role", "user", "content", "Hi"));
        BerthTestResource.fake().enqueue(FakeReply.error(400, "invalid_prompt", "the prompt is refused"),
                FakeReply.error(400, "invalid_prompt", "the prompt is refused"));

        // Without stream: a 502 error object saying why the agent failed
        Api.admin().body(body(agent, hi, Map.of())).post(CHAT).then().statusCode(502)
                .contentType(ContentType.JSON)
                .body("error.type", equalTo("server_error"))
                .body("error.code", equalTo("run_failed"))
                .body("error.message", startsWith("the agent's run failed: model_bad_request"));
        // Streamed: the stream ends with the error object, and no [DONE]
        String streamed = Api.admin().body(body(agent, hi, Map.of("stream", true))).post(CHAT).then().statusCode(200)
                .extract().asString();
        String[] frames = streamed.split("\n\n");
        JsonNode last = JSON.readTree(frames[frames.length - 1].substring("data: ".length()));
        assertThat(last.at("/error/code").asText()).isEqualTo("run_failed");
        assertThat(streamed).doesNotContain("[DONE]");
    }

    private static Map<String, Object> body(String agent, List<Map<String, Object>> messages, Map<String, Object> more) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (agent != null) {
            body.put("model", agent);
        }
        body.put("messages", messages);
        body.putAll(more);
        return body;
    }

    private static String agent() {
        String agent = "chat-wire-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, agent);
        return agent;
    }
}
