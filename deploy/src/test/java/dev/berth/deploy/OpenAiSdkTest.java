package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.models.Model;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
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
 * Berth driven by the official OpenAI Java SDK (its strict response validation on), as an application
 * written against OpenAI would: base URL {@code /openai/v1}, a Berth key as the API key, an agent
 * name as the model (ADR 0035).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class OpenAiSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource
    URL base;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aResponseIsCreatedReadBackAndContinuedWithItsHistory() {
        // Given an agent and a client of the official SDK
        String agent = "sdk-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, agent);
        OpenAIClient client = client(BerthTestResource.ADMIN_KEY);
        BerthTestResource.fake().enqueue(FakeReply.text("Hello, Ada."), FakeReply.text("Your name is Ada."));

        // When a response is created
        Response first = client.responses().create(ResponseCreateParams.builder()
                .model(agent).input("My name is Ada.").build());

        // Then it is the completed run, with the model's answer as an output_text and the run's usage
        assertThat(first.id()).startsWith("resp_");
        assertThat(first.status()).contains(ResponseStatus.COMPLETED);
        assertThat(text(first)).isEqualTo("Hello, Ada.");
        assertThat(first.usage().orElseThrow().totalTokens()).isPositive();
        assertThat(first.conversation().orElseThrow().id()).startsWith("conv_");
        // and reading it back gives the same response
        Response read = client.responses().retrieve(first.id());
        assertThat(read.id()).isEqualTo(first.id());
        assertThat(text(read)).isEqualTo("Hello, Ada.");

        // When the conversation is continued with previous_response_id
        Response second = client.responses().create(ResponseCreateParams.builder()
                .model(agent).input("What is my name?").previousResponseId(first.id()).build());

        // Then it runs in the same session, and the model was sent the first exchange
        JsonNode messages = BerthTestResource.fake().requests().get(1).get("messages");
        assertThat(messages.toString()).contains("My name is Ada.").contains("Hello, Ada.").contains("What is my name?");
        assertThat(text(second)).isEqualTo("Your name is Ada.");
        assertThat(second.conversation().orElseThrow().id()).isEqualTo(first.conversation().orElseThrow().id());
        assertThat(second.previousResponseId()).contains(first.id());
    }

    @Test
    void theTenantsAgentsAreItsModels() {
        String agent = "model-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, agent);

        List<Model> models = client(BerthTestResource.ADMIN_KEY).models().list().data();

        assertThat(models).extracting(Model::id).contains(agent);
        assertThat(models).allSatisfy(model -> assertThat(model.created()).isPositive());
    }

    @Test
    void errorsAreTheSdksTypedExceptions() throws Exception {
        String agent = "errors-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, agent);
        ResponseCreateParams toUnknown = ResponseCreateParams.builder().model("no-such-agent").input("Hi").build();

        // An unknown model (agent): 404, OpenAI's error object
        assertThatThrownBy(() -> client(BerthTestResource.ADMIN_KEY).responses().create(toUnknown))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((OpenAIServiceException) e).type()).contains("invalid_request_error"));
        // A bad key: ApiKeyFilter's 401
        assertThatThrownBy(() -> client("brt_not_a_key").responses().create(toUnknown))
                .isInstanceOf(UnauthorizedException.class)
                .satisfies(e -> assertThat(((OpenAIServiceException) e).type()).contains("authentication_error"));
        // A key whose role may not create responses: RoleFilter's 403
        String developer = key("developer");
        ResponseCreateParams toAgent = ResponseCreateParams.builder().model(agent).input("Hi").build();
        assertThatThrownBy(() -> client(developer).responses().create(toAgent))
                .isInstanceOf(PermissionDeniedException.class)
                .satisfies(e -> assertThat(((OpenAIServiceException) e).type()).contains("permission_error"));
        // A parameter this slice does not implement: 400 naming it
        ResponseCreateParams streamed = ResponseCreateParams.builder().model(agent).input("Hi")
                .topP(0.5).build();
        assertThatThrownBy(() -> client(BerthTestResource.ADMIN_KEY).responses().create(streamed))
                .isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(((OpenAIServiceException) e).param()).contains("top_p"));
        // and none of them called the model
        assertThat(BerthTestResource.fake().requests()).isEmpty();
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(base.toString().replaceAll("/$", "") + "/openai/v1")
                .apiKey(key)
                .responseValidation(true)
                .maxRetries(0)
                .build();
    }

    private static String text(Response response) {
        return response.output().stream().filter(ResponseOutputItem::isMessage)
                .flatMap(item -> item.asMessage().content().stream())
                .map(content -> content.asOutputText().text())
                .reduce("", String::concat);
    }

    private static String key(String role) throws Exception {
        return JSON.readTree(Api.admin().body(Map.of("name", role + "-" + UUID.randomUUID(), "roles", List.of(role)))
                .post("/v1/api-keys").then().statusCode(201).extract().asString()).get("key").asText();
    }
}
