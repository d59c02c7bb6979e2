package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIServiceException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chat Completions over a Berth agent, driven by the official OpenAI Java SDK with its strict validation
 * on, as a chat front end would: the client sends the whole conversation each time (ADR 0040).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class OpenAiChatSdkTest {
    @TestHTTPResource
    URL base;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aChatCompletionIsTheAgentsAnswer() {
        // Given an agent
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Hello, Ada."));

        // When a chat completion is created
        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model(agent).addUserMessage("My name is Ada.").build());

        // Then it is the run's answer, with its id and usage
        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo(agent);
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).contains("Hello, Ada.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().totalTokens()).isPositive();
    }

    @Test
    void theClientsEarlierMessagesReachTheModelAsHistory() {
        // Given a conversation the client kept: two exchanges, then a question
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Your name is Ada."));

        // When it is sent as a chat completion
        ChatCompletion completion = client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model(agent)
                .addUserMessage("My name is Ada.")
                .addAssistantMessage("Hello, Ada.")
                .addUserMessage("I live in London.")
                .addAssistantMessage("Noted.")
                .addUserMessage("What is my name?")
                .build());

        // Then the model was sent the whole conversation, in order, and the last message once
        JsonNode messages = BerthTestResource.fake().requests().get(0).get("messages");
        List<String> said = new ArrayList<>();
        for (JsonNode message : messages) {
            if (!"system".equals(message.path("role").asText())) {
                said.add(message.path("role").asText() + ": " + message.path("content").asText());
            }
        }
        assertThat(said).containsExactly("user: My name is Ada.", "assistant: Hello, Ada.",
                "user: I live in London.", "assistant: Noted.", "user: What is my name?");
        assertThat(completion.choices().get(0).message().content()).contains("Your name is Ada.");
    }

    @Test
    void aStreamedChatCompletionAccumulatesToTheAnswer() {
        // Given an agent
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Streamed hello."));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(agent).addUserMessage("Hi")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

        // When it is streamed and accumulated with the SDK's helper
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunks.add(accumulator.accumulate(chunk)));
        }
        ChatCompletion completion = accumulator.chatCompletion();

        // Then the chunks make the answer, the last one (asked for) carries the usage, and the stream ended
        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.choices().get(0).message().content()).contains("Streamed hello.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(chunks.getLast().usage().orElseThrow().totalTokens()).isPositive();
        assertThat(completion.usage().orElseThrow().totalTokens()).isPositive();
    }

    @Test
    void anAgentsOwnToolRunsWithinTheChatCompletion() {
        // Given an agent with a server-side tool, whose model calls it and then answers
        String agent = "chat-tool-" + UUID.randomUUID();
        Api.defineAgent(BerthTestResource.ADMIN_KEY, agent, "current_time");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("current_time", "{\"timeZone\":\"UTC\"}"),
                FakeReply.text("It is noon."));

        // When a chat completion is created (streamed, so that both doors are shown)
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model(agent).addUserMessage("What time is it?").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        // Then the tool ran in Berth (its result went to the model's second call), the client got only the answer
        assertThat(BerthTestResource.fake().requests()).hasSize(2);
        JsonNode second = BerthTestResource.fake().requests().get(1).get("messages");
        assertThat(second.toString()).contains("\"role\":\"tool\"");
        ChatCompletion completion = accumulator.chatCompletion();
        assertThat(completion.choices().get(0).message().content()).contains("It is noon.");
        assertThat(completion.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
    }

    @Test
    void refusalsAreTheSdksTypedExceptionsAndCallNoModel() {
        String agent = agent();
        // A parameter Berth does not implement: 400 naming it
        assertThatThrownBy(() -> client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model(agent).addUserMessage("Hi").topP(0.5).build()))
                .isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(((OpenAIServiceException) e).param()).contains("top_p"));
        // A temperature out of range: 400 naming it
        assertThatThrownBy(() -> client().chat().completions().create(ChatCompletionCreateParams.builder()
                .model(agent).addUserMessage("Hi").temperature(2.5).build()))
                .isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(((OpenAIServiceException) e).param()).contains("temperature"));
        assertThat(BerthTestResource.fake().requests()).isEmpty();
    }

    @Test
    void systemMessagesAreInstructionsOfTheRunAndSamplingSettingsReachTheModel() {
        // Given a chat front end that sends its own system prompt, a temperature and a token limit
        String agent = agent();
        BerthTestResource.fake().enqueue(FakeReply.text("Brief."));

        // When the chat completion is created
        client().chat().completions().create(ChatCompletionCreateParams.builder().model(agent)
                .addSystemMessage("Answer in one word.").addUserMessage("Hi").temperature(0.2)
                .maxCompletionTokens(50).build());

        // Then the model got the agent's instructions followed by the system message's, and the settings
        JsonNode sent = BerthTestResource.fake().requests().get(0);
        JsonNode first = sent.get("messages").get(0);
        assertThat(first.path("role").asText()).isEqualTo("system");
        assertThat(first.path("content").asText()).endsWith("Answer in one word.");
        List<String> others = new ArrayList<>();
        sent.get("messages").forEach(message -> others.add(message.path("role").asText()));
        assertThat(others).containsExactly("system", "user");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(50);
    }

    private static String agent() {
        String agent = "chat-" + UUID.randomUUID();
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
