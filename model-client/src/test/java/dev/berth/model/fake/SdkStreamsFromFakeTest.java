package dev.berth.model.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.berth.model.ToolCall;
import io.vertx.mutiny.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The official openai-java SDK (4.105.0) streams from the fake, a program nobody on Berth wrote reading what
 * the fake sends. On the OpenAI route with the SDK's strict response validation. On the Azure v1 route the way
 * SDK users read Azure: every chunk validated, every choice's {@code delta} read, except the prompt's annotation
 * chunk ({@code object: ""}, {@code choices: []}), which real Azure sends first in both filter modes and which
 * strict validation would refuse from real Azure too (its {@code object} is not {@code chat.completion.chunk}).
 * With Azure's Asynchronous Filter turned on (an opt-in of the fake, as of a deployment), the annotation
 * chunks without {@code delta} break that reader, exactly as they break SDK users of real Azure.
 */
class SdkStreamsFromFakeTest {
    static final Vertx vertx = Vertx.vertx();
    static final FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
    static final FakeModelServer asyncFake = FakeModelServer.startAndAwait(vertx,
            FakeOptions.defaults().withAzureAsyncFilter());

    @AfterAll
    static void close() {
        fake.close();
        asyncFake.close();
        vertx.closeAndAwait();
    }

    private static OpenAIClient sdk(String baseUrl, boolean strict) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey("k").responseValidation(strict).maxRetries(0).build();
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("hi")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    }

    private static List<ChatCompletionChunk> stream(OpenAIClient sdk) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(params())) {
            s.stream().forEach(chunks::add);
        }
        return chunks;
    }

    /** What an SDK user assembles: the text of every choice's delta (reading {@code delta()} as SDK users do). */
    private static String text(List<ChatCompletionChunk> chunks) {
        StringBuilder text = new StringBuilder();
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                choice.delta().content().ifPresent(text::append);
            }
        }
        return text.toString();
    }

    /** Azure's reader: the prompt annotation is recognised, every other chunk passes the SDK's validation. */
    private static List<ChatCompletionChunk> validatedAzure(List<ChatCompletionChunk> chunks) {
        ChatCompletionChunk first = chunks.getFirst();
        assertThat(first.choices()).isEmpty();
        assertThat(first._additionalProperties()).containsKey("prompt_filter_results");
        List<ChatCompletionChunk> rest = chunks.subList(1, chunks.size());
        rest.forEach(ChatCompletionChunk::validate);
        return rest;
    }

    @Test
    void strict_sdk_streams_text_and_usage_from_the_openai_route() {
        fake.enqueue(FakeReply.text("Hello brave new world"));

        List<ChatCompletionChunk> chunks = stream(sdk(fake.openAiBaseUrl(), true));

        assertThat(text(chunks)).isEqualTo("Hello brave new world");
        assertThat(chunks.getLast().usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
    }

    @Test
    void strict_sdk_streams_tool_calls_from_the_openai_route() {
        fake.enqueue(FakeReply.toolCalls(new ToolCall("call_a", "lookup", "{\"city\":\"Oslo\"}")));

        List<ChatCompletionChunk> chunks = stream(sdk(fake.openAiBaseUrl(), true));

        StringBuilder args = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().toolCalls().ifPresent(calls -> calls.forEach(
                tc -> tc.function().flatMap(f -> f.arguments()).ifPresent(args::append)))));
        assertThat(args.toString()).isEqualTo("{\"city\":\"Oslo\"}");
    }

    @Test
    void sdk_streams_from_the_azure_v1_route_in_azure_default_shape() {
        fake.enqueue(FakeReply.text("Hello brave new world"));

        List<ChatCompletionChunk> chunks = validatedAzure(stream(sdk(fake.baseUrl(), false)));

        assertThat(text(chunks)).isEqualTo("Hello brave new world");
        assertThat(chunks.getLast().usage()).hasValueSatisfying(u -> assertThat(u.promptTokens()).isPositive());
        // Azure's default mode annotates content chunks next to their delta
        assertThat(chunks.get(1).choices().getFirst()._additionalProperties()).containsKey("content_filter_results");
    }

    @Test
    void sdk_streams_tool_calls_from_the_azure_v1_route() {
        fake.enqueue(FakeReply.toolCalls(new ToolCall("call_a", "lookup", "{\"city\":\"Oslo\"}")));

        List<ChatCompletionChunk> chunks = validatedAzure(stream(sdk(fake.baseUrl(), false)));

        assertThat(chunks).anySatisfy(c -> assertThat(c.choices()).anySatisfy(
                ch -> assertThat(ch.finishReason()).hasValue(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS)));
    }

    @Test
    void the_async_filter_opt_in_sends_the_chunk_without_delta_that_sdk_users_cannot_read() {
        asyncFake.enqueue(FakeReply.text("Hello brave new world"));

        List<ChatCompletionChunk> chunks = stream(sdk(asyncFake.baseUrl(), false));

        Throwable failure = catchThrowable(() -> text(chunks));
        assertThat(failure).isInstanceOf(OpenAIInvalidDataException.class).hasMessageContaining("delta");
    }
}
