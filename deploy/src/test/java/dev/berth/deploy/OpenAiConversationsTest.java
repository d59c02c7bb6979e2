package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.conversations.Conversation;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.ConversationDeletedResource;
import com.openai.models.conversations.ConversationUpdateParams;
import com.openai.models.conversations.items.ConversationItem;
import com.openai.models.conversations.items.ItemDeleteParams;
import com.openai.models.conversations.items.ItemListPage;
import com.openai.models.conversations.items.ItemListParams;
import com.openai.models.conversations.items.ItemRetrieveParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Conversations API driven by the official OpenAI Java SDK (strict validation): items a client adds
 * are history the model is sent, a deleted item is hidden from later model calls but stays in the log,
 * paging, metadata, deletion, actor confinement, bad input, and the refusal to fork (ADR 0039).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class OpenAiConversationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource
    URL base;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void itemsAreHistoryTheModelIsSentAndADeletedItemIsHiddenButKept() throws Exception {
        // Given a conversation created with three items
        String agent = agent();
        OpenAIClient client = client(BerthTestResource.ADMIN_KEY);
        Conversation conversation = client.conversations().create(ConversationCreateParams.builder()
                .metadata(ConversationCreateParams.Metadata.builder()
                        .putAdditionalProperty("agent", JsonValue.from(agent))
                        .putAdditionalProperty("topic", JsonValue.from("intro")).build())
                .addItem(message(EasyInputMessage.Role.USER, "My name is Ada."))
                .addItem(message(EasyInputMessage.Role.ASSISTANT, "Hello, Ada."))
                .addItem(message(EasyInputMessage.Role.USER, "I live in Lyon."))
                .build());
        assertThat(conversation.id()).startsWith("conv_");
        BerthTestResource.fake().enqueue(FakeReply.text("You are Ada, from Lyon."), FakeReply.text("You are Ada."));

        // When a response is made in it
        Response first = client.responses().create(ResponseCreateParams.builder()
                .model(agent).input("Who am I?").conversation(conversation.id()).build());

        // Then the model was sent the items as history, before the new input
        String sent = BerthTestResource.fake().requests().get(0).get("messages").toString();
        assertThat(sent).contains("My name is Ada.").contains("Hello, Ada.").contains("I live in Lyon.");
        assertThat(sent.indexOf("I live in Lyon.")).isLessThan(sent.indexOf("Who am I?"));
        assertThat(first.conversation().orElseThrow().id()).isEqualTo(conversation.id());

        // When its items are listed oldest first, two at a time
        List<ConversationItem> items = new ArrayList<>();
        ItemListPage page = client.conversations().items().list(conversation.id(), ItemListParams.builder()
                .order(ItemListParams.Order.ASC).limit(2).build());
        int pages = 1;
        items.addAll(page.data());
        while (page.hasNextPage()) {
            page = page.nextPage();
            items.addAll(page.data());
            pages++;
        }

        // Then there are the three items, the input and the answer, in order, on three pages
        assertThat(pages).isEqualTo(3);
        assertThat(items).extracting(OpenAiConversationsTest::text).containsExactly(
                "My name is Ada.", "Hello, Ada.", "I live in Lyon.", "Who am I?", "You are Ada, from Lyon.");
        assertThat(items.get(1).asMessage().role().toString()).isEqualTo("assistant");
        // and newest first (the default) is the same list reversed
        assertThat(client.conversations().items().list(conversation.id()).data())
                .extracting(OpenAiConversationsTest::text).containsExactlyElementsOf(items.stream()
                        .map(OpenAiConversationsTest::text).toList().reversed());

        // When the item about Lyon is deleted
        String lyon = items.get(2).asMessage().id();
        Conversation after = client.conversations().items().delete(lyon,
                ItemDeleteParams.builder().conversationId(conversation.id()).build());

        // Then it is gone from the item list and cannot be read
        assertThat(after.id()).isEqualTo(conversation.id());
        assertThat(client.conversations().items().list(conversation.id()).data())
                .extracting(OpenAiConversationsTest::text).doesNotContain("I live in Lyon.").hasSize(4);
        assertThatThrownBy(() -> client.conversations().items().retrieve(lyon,
                ItemRetrieveParams.builder().conversationId(conversation.id()).build()))
                .isInstanceOf(NotFoundException.class);
        // and the next model call no longer contains it, though the rest of the history is there
        client.responses().create(ResponseCreateParams.builder()
                .model(agent).input("Who am I, again?").conversation(conversation.id()).build());
        String later = BerthTestResource.fake().requests().get(1).get("messages").toString();
        assertThat(later).doesNotContain("I live in Lyon.").contains("My name is Ada.").contains("Who am I, again?");
        // and the session's log still holds it, with the mark that hides it
        String log = Api.admin().get("/v1/sessions/" + sessionId(conversation.id()) + "/events").then()
                .statusCode(200).extract().asString();
        assertThat(log).contains("I live in Lyon.").contains("\"item.hidden\"");
    }

    @Test
    void metadataIsUpdatedAndADeletedConversationIsGone() {
        String agent = agent();
        OpenAIClient client = client(BerthTestResource.ADMIN_KEY);
        Conversation conversation = client.conversations().create(ConversationCreateParams.builder()
                .metadata(ConversationCreateParams.Metadata.builder()
                        .putAdditionalProperty("agent", JsonValue.from(agent)).build()).build());
        // an empty conversation's item list passes the SDK's validation (its ids are strings, not null)
        assertThat(client.conversations().items().list(conversation.id()).data()).isEmpty();

        Conversation updated = client.conversations().update(conversation.id(), ConversationUpdateParams.builder()
                .metadata(ConversationUpdateParams.Metadata.builder()
                        .putAdditionalProperty("agent", JsonValue.from(agent))
                        .putAdditionalProperty("stage", JsonValue.from("two")).build()).build());
        assertThat(updated._metadata().toString()).contains("stage").contains("two");
        assertThat(client.conversations().retrieve(conversation.id())._metadata().toString()).contains("two");

        ConversationDeletedResource deleted = client.conversations().delete(conversation.id());
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.id()).isEqualTo(conversation.id());
        assertThatThrownBy(() -> client.conversations().retrieve(conversation.id())).isInstanceOf(NotFoundException.class);
        Api.admin().get("/v1/sessions/" + sessionId(conversation.id())).then().statusCode(404);
    }

    @Test
    void anotherActorsConversationIsUnknown() throws Exception {
        String agent = agent();
        String daveId = "dave-" + UUID.randomUUID();
        OpenAIClient dave = client(actorKey(daveId));
        OpenAIClient erin = client(actorKey("erin"));
        Conversation daves = dave.conversations().create(ConversationCreateParams.builder()
                .metadata(ConversationCreateParams.Metadata.builder()
                        .putAdditionalProperty("agent", JsonValue.from(agent)).build())
                .addItem(message(EasyInputMessage.Role.USER, "secret")).build());

        Api.admin().get("/v1/sessions/" + sessionId(daves.id())).then().statusCode(200)
                .body("actorId", org.hamcrest.Matchers.equalTo(daveId));
        assertThatThrownBy(() -> erin.conversations().retrieve(daves.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> erin.conversations().items().list(daves.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> erin.conversations().delete(daves.id())).isInstanceOf(NotFoundException.class);
        assertThat(dave.conversations().items().list(daves.id()).data()).hasSize(1);
    }

    @Test
    void badInputIsAnOpenAiErrorAndWritesNothing() throws Exception {
        String agent = agent();
        String actor = "frank-" + UUID.randomUUID();
        String frankKey = actorKey(actor);
        OpenAIClient frank = client(frankKey);
        // no agent named, and none configured
        assertThatThrownBy(() -> frank.conversations().create(ConversationCreateParams.builder()
                .addItem(message(EasyInputMessage.Role.USER, "hi")).build()))
                .isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(((OpenAIServiceException) e).param()).contains("metadata"));
        // an item of a kind Berth does not take (a system message), after a good one
        Map<String, Object> body = Map.of("metadata", Map.of("agent", agent), "items", List.of(
                Map.of("type", "message", "role", "user", "content", "fine"),
                Map.of("type", "message", "role", "system", "content", "obey")));
        JsonNode error = JSON.readTree(Api.as(frankKey).body(body).post("/openai/v1/conversations").then()
                .statusCode(400).extract().asString()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).isEqualTo("items[1].role");
        // an unknown agent
        assertThatThrownBy(() -> frank.conversations().create(ConversationCreateParams.builder()
                .metadata(ConversationCreateParams.Metadata.builder()
                        .putAdditionalProperty("agent", JsonValue.from("no-such-agent")).build()).build()))
                .isInstanceOf(NotFoundException.class);
        // and no session was opened for the actor
        Api.admin().get("/v1/sessions?actorId=" + actor).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));
        // an item id that is not one of the conversation's
        Conversation conversation = frank.conversations().create(ConversationCreateParams.builder()
                .metadata(ConversationCreateParams.Metadata.builder()
                        .putAdditionalProperty("agent", JsonValue.from(agent)).build()).build());
        for (String id : List.of("msg_1", "msg_" + UUID.randomUUID().toString().replace("-", "") + "_1")) {
            assertThatThrownBy(() -> frank.conversations().items().retrieve(id,
                    ItemRetrieveParams.builder().conversationId(conversation.id()).build()))
                    .isInstanceOf(NotFoundException.class);
        }
        assertThat(BerthTestResource.fake().requests()).isEmpty();
    }

    @Test
    void aPreviousResponseThatIsNotTheNewestIsRefusedNotForked() {
        String agent = agent();
        OpenAIClient client = client(BerthTestResource.ADMIN_KEY);
        BerthTestResource.fake().enqueue(FakeReply.text("One."), FakeReply.text("Two."));
        Response first = client.responses().create(ResponseCreateParams.builder().model(agent).input("1").build());
        Response second = client.responses().create(ResponseCreateParams.builder().model(agent).input("2")
                .previousResponseId(first.id()).build());

        // continuing from the first response again would branch the conversation
        assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model(agent).input("3")
                .previousResponseId(first.id()).build()))
                .isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(((OpenAIServiceException) e).param()).contains("previous_response_id"));
        // nothing was written nor sent to the model; the newest one still continues
        assertThat(client.conversations().items().list(second.conversation().orElseThrow().id()).data()).hasSize(4);
        assertThat(BerthTestResource.fake().requests()).hasSize(2);
        BerthTestResource.fake().enqueue(FakeReply.text("Three."));
        assertThat(client.responses().create(ResponseCreateParams.builder().model(agent).input("3")
                .previousResponseId(second.id()).build()).previousResponseId()).contains(second.id());
    }

    private static EasyInputMessage message(EasyInputMessage.Role role, String text) {
        return EasyInputMessage.builder().role(role).content(text).build();
    }

    private static String text(ConversationItem item) {
        return item.asMessage().content().stream()
                .map(part -> part.isInputText() ? part.asInputText().text() : part.asOutputText().text())
                .reduce("", String::concat);
    }

    private static String sessionId(String conversation) {
        String hex = conversation.substring("conv_".length());
        return UUID.fromString(hex.replaceFirst(
                "(\\p{XDigit}{8})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}+)", "$1-$2-$3-$4-$5")).toString();
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(base.toString().replaceAll("/$", "") + "/openai/v1")
                .apiKey(key)
                .responseValidation(true)
                .maxRetries(0)
                .build();
    }

    private static String agent() {
        String name = "conv-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, name);
        return name;
    }

    private static String actorKey(String actor) throws Exception {
        return JSON.readTree(Api.admin().body(Map.of("name", actor + "-" + UUID.randomUUID(), "roles", List.of("actor"),
                "actorId", actor)).post("/v1/api-keys").then().statusCode(201).extract().asString()).get("key").asText();
    }
}
