package dev.berth.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.inputitems.InputItemListPage;
import com.openai.models.responses.inputitems.InputItemListParams;
import dev.berth.deploy.openai.ResponseInputItemsPage;
import dev.berth.model.fake.FakeReply;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management routes of {@code /openai/v1/responses} (ADR 0038): cancel, delete and input items, with
 * the official SDK where it has the call, and their refusals.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ResponsesRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESPONSES = "/openai/v1/responses";

    @TestHTTPResource
    URL base;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aResponseInProgressIsCancelledAndItsStreamEndsCancelled() {
        // Given a background response whose model call takes a while
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Too late.").withLatency(Duration.ofSeconds(3)));
        Response created = client().responses().create(ResponseCreateParams.builder()
                .model(agent).input("Take your time.").background(true).build());

        // When it is cancelled
        Response answered = client().responses().cancel(created.id());

        // Then it is cancelled (at once, or when its model call ends), and never completes
        assertThat(answered.status().orElseThrow()).isIn(ResponseStatus.CANCELLED, ResponseStatus.IN_PROGRESS);
        Response cancelled = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client().responses().retrieve(created.id()),
                        response -> !List.of(ResponseStatus.IN_PROGRESS, ResponseStatus.QUEUED)
                                .contains(response.status().orElseThrow()));
        assertThat(cancelled.status()).contains(ResponseStatus.CANCELLED);
        // and its stream ends with response.failed whose response is cancelled
        String stream = Api.admin().get(RESPONSES + "/" + created.id() + "?stream=true").then().statusCode(200)
                .contentType(containsString("text/event-stream")).extract().asString();
        assertThat(stream).contains("event: response.failed").contains("\"status\":\"cancelled\"")
                .doesNotContain("Too late.");
        // and cancelling it again answers it as it is
        assertThat(client().responses().cancel(created.id()).status()).contains(ResponseStatus.CANCELLED);
    }

    @Test
    void aFinishedResponseCannotBeCancelled() {
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Done."));
        Response done = client().responses().create(ResponseCreateParams.builder().model(agent).input("Hi").build());

        assertThatThrownBy(() -> client().responses().cancel(done.id()))
                .isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(((OpenAIServiceException) e).param()).contains("response_id"));
        assertThat(client().responses().retrieve(done.id()).status()).contains(ResponseStatus.COMPLETED);
    }

    @Test
    void deletingTheOnlyResponseOfAConversationDeletesTheConversation() throws Exception {
        // Given a response that is its conversation's only one
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Delete me."));
        Response response = client().responses().create(ResponseCreateParams.builder().model(agent).input("Hi").build());

        // When it is deleted
        JsonNode deleted = JSON.readTree(Api.admin().delete(RESPONSES + "/" + response.id()).then().statusCode(200)
                .extract().asString());

        // Then the answer is OpenAI's, and neither the response nor its conversation is found any more
        assertThat(deleted).isEqualTo(JSON.createObjectNode().put("id", response.id()).put("object", "response")
                .put("deleted", true));
        assertThatThrownBy(() -> client().responses().retrieve(response.id())).isInstanceOf(NotFoundException.class);
        Api.admin().get("/v1/sessions/" + session(response)).then().statusCode(404);
        // and deleting it again is a 404 (the SDK's delete, too)
        assertThatThrownBy(() -> client().responses().delete(response.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aResponseAmongOthersIsNotDeletedAndNothingIsRemoved() {
        // Given a conversation of two responses
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("One."), FakeReply.text("Two."));
        Response first = client().responses().create(ResponseCreateParams.builder().model(agent).input("1").build());
        Response second = client().responses().create(ResponseCreateParams.builder().model(agent).input("2")
                .previousResponseId(first.id()).build());

        // When the first is deleted, Then it is refused, naming the conversation to delete instead
        Api.admin().delete(RESPONSES + "/" + first.id()).then().statusCode(400)
                .body("error.param", equalTo("response_id"))
                .body("error.message", containsString("delete the conversation instead"));
        // and both responses are still there
        assertThat(client().responses().retrieve(first.id()).status()).contains(ResponseStatus.COMPLETED);
        assertThat(client().responses().retrieve(second.id()).status()).contains(ResponseStatus.COMPLETED);
    }

    @Test
    void theInputItemsAreTheRunsInputInOpenAisListShape() {
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Listed."));
        Response response = client().responses().create(ResponseCreateParams.builder().model(agent)
                .input("What did I say?").build());

        InputItemListPage page = client().responses().inputItems().list(response.id());

        assertThat(page.data()).hasSize(1);
        ResponseItem item = page.data().getFirst();
        assertThat(item.isResponseInputMessageItem()).isTrue();
        assertThat(item.asResponseInputMessageItem().content().getFirst().asInputText().text()).isEqualTo("What did I say?");
        assertThat(page.hasMore()).contains(false);
        String id = item.asResponseInputMessageItem().id();
        // after the last item: an empty page
        assertThat(client().responses().inputItems().list(response.id(), InputItemListParams.builder().after(id).build())
                .data()).isEmpty();
        // bad paging values are refused by name
        Api.admin().get(RESPONSES + "/" + response.id() + "/input_items?limit=0").then().statusCode(400)
                .body("error.param", equalTo("limit"));
        Api.admin().get(RESPONSES + "/" + response.id() + "/input_items?order=up").then().statusCode(400)
                .body("error.param", equalTo("order"));
        Api.admin().get(RESPONSES + "/" + response.id() + "/input_items?after=msg_x").then().statusCode(400)
                .body("error.param", equalTo("after"));
    }

    @Test
    void inputItemsArePagedWithAfterLimitAndOrder() {
        // Given a run with five input items (a message and four client tool results) among other events
        UUID runId = UUID.randomUUID();
        Run run = new Run(runId, new TenantId(UUID.randomUUID()), UUID.randomUUID(), 1, RunStatus.COMPLETED, 3, 2,
                "a", 1, null, null, null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
        List<Event> events = new ArrayList<>();
        events.add(event(run, 1, EventType.USER_MESSAGE, JSON.createObjectNode().put("text", "go")));
        for (int i = 0; i < 4; i++) {
            events.add(event(run, 2 + 2 * i, EventType.ASSISTANT_MESSAGE, JSON.createObjectNode().put("text", "")));
            events.add(event(run, 3 + 2 * i, EventType.TOOL_RESULT, JSON.createObjectNode().put("source", "client")
                    .put("callId", "c" + i).put("output", "out" + i)));
        }
        events.add(new Event(run.sessionId(), 20, UUID.randomUUID(), EventType.USER_MESSAGE,
                JSON.createObjectNode().put("text", "another run's"), Instant.EPOCH));

        // When they are read two at a time, oldest first, Then the pages follow each other without overlap
        List<String> seen = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            ObjectNode page = ResponseInputItemsPage.page(run, events, after, 2, "asc");
            page.get("data").forEach(item -> seen.add(item.get("id").asText()));
            assertThat(page.get("first_id").asText()).isEqualTo(page.get("data").get(0).get("id").asText());
            after = page.get("last_id").asText();
            more = page.get("has_more").asBoolean();
        }
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        assertThat(seen.getFirst()).startsWith("msg_");
        // and newest first by default
        ObjectNode newest = ResponseInputItemsPage.page(run, events, null, null, null);
        assertThat(newest.get("data").get(0).get("call_id").asText()).isEqualTo("c3");
        assertThat(newest.get("data")).hasSize(5);
        assertThat(newest.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void theRoutesOfAnUnknownResponseAre404() {
        String unknown = "resp_" + UUID.randomUUID().toString().replace("-", "");
        Api.admin().post(RESPONSES + "/" + unknown + "/cancel").then().statusCode(404).body("error.code", equalTo("not_found"));
        Api.admin().delete(RESPONSES + "/" + unknown).then().statusCode(404).body("error.code", equalTo("not_found"));
        Api.admin().get(RESPONSES + "/" + unknown + "/input_items").then().statusCode(404);
        // a stream of an unknown response is a 404 error object, not a stream
        Api.admin().get(RESPONSES + "/" + unknown + "?stream=true").then().statusCode(404)
                .contentType(containsString("json")).body("error.code", equalTo("not_found"));
        Api.admin().get(RESPONSES + "/" + unknown + "?stream=maybe").then().statusCode(400)
                .body("error.param", equalTo("stream"));
        given().contentType("application/json").post(RESPONSES + "/" + unknown + "/cancel").then().statusCode(401);
    }

    private static Event event(Run run, long seq, String type, ObjectNode data) {
        return new Event(run.sessionId(), seq, run.id(), type, data, Instant.EPOCH);
    }

    private static String session(Response response) {
        return response.conversation().orElseThrow().id().substring("conv_".length())
                .replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5");
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder()
                .baseUrl(base.toString().replaceAll("/$", "") + "/openai/v1")
                .apiKey(BerthTestResource.ADMIN_KEY)
                .responseValidation(true)
                .maxRetries(0)
                .build();
    }

    private static String agent() {
        String agent = "routes-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, agent);
        return agent;
    }
}
