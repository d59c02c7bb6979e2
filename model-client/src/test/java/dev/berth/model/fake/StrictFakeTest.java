package dev.berth.model.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.internal.ModelJson;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The fake refuses, as OpenAI and Azure OpenAI do, each request shape the real services answer with 400
 * {@code invalid_request_error}: one test per rule, plus the valid shapes each rule must let through.
 */
class StrictFakeTest {
    static final Vertx vertx = Vertx.vertx();
    static final FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
    static final FakeModelServer lenient = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults().lenient());
    static final WebClient http = WebClient.create(vertx);

    static final String USER = "{\"role\":\"user\",\"content\":\"weather?\"}";
    static final String CALLS = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
            + "{\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"{}\"}},"
            + "{\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"{}\"}}]}";
    static final String RESULT_A = "{\"role\":\"tool\",\"tool_call_id\":\"call_a\",\"content\":\"sunny\"}";
    static final String RESULT_B = "{\"role\":\"tool\",\"tool_call_id\":\"call_b\",\"content\":\"rain\"}";

    @AfterAll
    static void close() {
        http.close();
        fake.close();
        lenient.close();
        vertx.closeAndAwait();
    }

    private static HttpResponse<Buffer> post(FakeModelServer server, String path, String body) {
        return http.postAbs(server.origin() + path).putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer(body)).await().atMost(Duration.ofSeconds(10));
    }

    private static HttpResponse<Buffer> chat(String... messages) {
        return post(fake, "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[" + String.join(",", messages) + "]}");
    }

    private static JsonNode refused(HttpResponse<Buffer> r) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
        JsonNode error = ModelJson.parse(r.bodyAsString()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        return error;
    }

    @Test
    void a_complete_tool_exchange_is_accepted() {
        assertThat(chat(USER, CALLS, RESULT_A, RESULT_B, USER).statusCode()).isEqualTo(200);
    }

    @Test
    void tool_calls_without_their_results_are_refused() {
        JsonNode error = refused(chat(USER, CALLS, RESULT_A));

        assertThat(error.get("message").asText()).contains("did not have response messages: call_b");
        assertThat(error.get("param").asText()).isEqualTo("messages.[3].role");
    }

    @Test
    void another_message_between_the_calls_and_their_results_is_refused() {
        JsonNode error = refused(chat(USER, CALLS, RESULT_A, USER, RESULT_B));

        assertThat(error.get("message").asText()).contains("call_b");
        assertThat(error.get("param").asText()).isEqualTo("messages.[3].role");
    }

    @Test
    void a_tool_message_without_its_call_is_refused() {
        JsonNode error = refused(chat(USER, RESULT_A));

        assertThat(error.get("message").asText()).contains("must be a response to a preceeding message with 'tool_calls'");
        assertThat(error.get("param").asText()).isEqualTo("messages.[1].role");
    }

    @Test
    void a_second_result_for_the_same_call_is_refused() {
        JsonNode error = refused(chat(USER, CALLS, RESULT_A, RESULT_B, RESULT_A));

        assertThat(error.get("param").asText()).isEqualTo("messages.[4].role");
    }

    @Test
    void an_unknown_role_is_refused() {
        JsonNode error = refused(chat("{\"role\":\"robot\",\"content\":\"x\"}"));

        assertThat(error.get("param").asText()).isEqualTo("messages[0].role");
        assertThat(error.get("code").asText()).isEqualTo("invalid_value");
    }

    @Test
    void an_empty_message_list_is_refused() {
        refused(chat());
    }

    @Test
    void a_user_message_without_content_is_refused() {
        JsonNode error = refused(chat("{\"role\":\"user\"}"));

        assertThat(error.get("param").asText()).isEqualTo("messages[0].content");
    }

    @Test
    void a_content_part_the_role_does_not_take_is_refused() {
        JsonNode error = refused(chat("{\"role\":\"system\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}"));

        assertThat(error.get("param").asText()).isEqualTo("messages[0].content[0].type");
    }

    @Test
    void a_text_part_without_text_is_refused() {
        JsonNode error = refused(chat("{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}"));

        assertThat(error.get("param").asText()).isEqualTo("messages[0].content[0].text");
    }

    @Test
    void tool_parameters_that_are_not_an_object_schema_are_refused() {
        JsonNode error = refused(post(fake, "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[" + USER + "],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"string\"}}}]}"));

        assertThat(error.get("param").asText()).isEqualTo("tools[0].function.parameters");
        assertThat(error.get("code").asText()).isEqualTo("invalid_function_parameters");
    }

    @Test
    void a_tool_name_with_spaces_is_refused() {
        JsonNode error = refused(post(fake, "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[" + USER + "],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"look up\"}}]}"));

        assertThat(error.get("param").asText()).isEqualTo("tools[0].function.name");
    }

    @Test
    void the_azure_route_refuses_the_same_request() {
        HttpResponse<Buffer> r = post(fake, "/openai/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[" + USER + "," + CALLS + "]}");

        refused(r);
        assertThat(r.getHeader("apim-request-id")).isNotBlank();
    }

    @Test
    void a_refused_request_takes_no_scripted_reply() {
        fake.enqueue(FakeReply.text("scripted"));

        refused(chat(USER, CALLS));
        HttpResponse<Buffer> next = chat(USER);

        assertThat(ModelJson.parse(next.bodyAsString()).at("/choices/0/message/content").asText()).isEqualTo("scripted");
    }

    @Test
    void a_lenient_fake_answers_what_the_services_refuse() {
        HttpResponse<Buffer> r = post(lenient, "/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[" + USER + "," + CALLS + "]}");

        assertThat(r.statusCode()).isEqualTo(200);
    }

    private static HttpResponse<Buffer> responses(String... items) {
        return post(fake, "/v1/responses", "{\"model\":\"m\",\"store\":false,\"input\":[" + String.join(",", items) + "]}");
    }

    static final String R_USER = "{\"type\":\"message\",\"role\":\"user\",\"content\":\"weather?\"}";
    static final String R_CALL = "{\"type\":\"function_call\",\"call_id\":\"call_a\",\"name\":\"lookup\",\"arguments\":\"{}\"}";
    static final String R_OUTPUT = "{\"type\":\"function_call_output\",\"call_id\":\"call_a\",\"output\":\"sunny\"}";

    @Test
    void responses_a_call_with_its_output_is_accepted() {
        assertThat(responses(R_USER, R_CALL, R_OUTPUT).statusCode()).isEqualTo(200);
    }

    @Test
    void responses_a_function_call_without_its_output_is_refused() {
        JsonNode error = refused(responses(R_USER, R_CALL));

        assertThat(error.get("message").asText()).isEqualTo("No tool output found for function call call_a.");
    }

    @Test
    void responses_an_output_without_its_call_is_refused() {
        JsonNode error = refused(responses(R_USER, R_OUTPUT));

        assertThat(error.get("message").asText()).contains("No tool call found for function call output with call_id call_a");
    }

    @Test
    void responses_an_unknown_item_type_is_refused() {
        JsonNode error = refused(responses("{\"type\":\"thought\",\"text\":\"x\"}"));

        assertThat(error.get("param").asText()).isEqualTo("input[0].type");
    }

    @Test
    void responses_a_reasoning_item_without_encrypted_content_is_refused_when_nothing_is_stored() {
        JsonNode error = refused(responses(R_USER, "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[]}"));

        assertThat(error.get("message").asText()).contains("Items are not persisted when `store` is set to false");
    }

    @Test
    void responses_a_reasoning_item_carried_back_with_its_encrypted_content_is_accepted() {
        assertThat(responses(R_USER, "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],\"encrypted_content\":\"e\"}",
                R_CALL, R_OUTPUT).statusCode()).isEqualTo(200);
    }
}
