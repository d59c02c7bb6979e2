package dev.berth.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.ChatResponse;
import dev.berth.model.ChatStreamEvent;
import dev.berth.model.FinishReason;
import dev.berth.model.ModelException;
import dev.berth.model.ToolCall;
import dev.berth.model.Usage;
import dev.berth.model.internal.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every chunk shape of MODEL-API.md, as Azure and OpenAI send them. */
class ChatStreamAssemblerTest {
    private static List<ChatStreamEvent> feed(ChatStreamAssembler a, String... data) {
        List<ChatStreamEvent> out = new ArrayList<>();
        for (String d : data) {
            out.addAll(a.accept(new SseEvent(null, d)));
        }
        return out;
    }

    @Test
    void azure_shapes_text_annotations_and_usage() {
        ChatStreamAssembler a = new ChatStreamAssembler();
        List<ChatStreamEvent> events = feed(a,
                "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}",
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"finish_reason\":null,\"content_filter_results\":{\"hate\":{\"filtered\":false}}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}",
                "[DONE]");

        assertThat(events).containsExactly(new ChatStreamEvent.TextDelta("Hel"), new ChatStreamEvent.TextDelta("lo"));
        ChatResponse r = a.complete(ChatResponse.CallInfo.NONE).response();
        assertThat(r.id()).isEqualTo("chatcmpl-1");
        assertThat(r.content()).isEqualTo("Hello");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage()).isEqualTo(new Usage(9, 2, 4, 1));
    }

    @Test
    void parallel_tool_call_fragments_by_index() {
        ChatStreamAssembler a = new ChatStreamAssembler();
        feed(a,
                "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"c0\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"b\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":1}\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\":2}\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                "[DONE]");

        ChatResponse r = a.complete(ChatResponse.CallInfo.NONE).response();
        assertThat(r.toolCalls()).containsExactly(new ToolCall("c0", "f", "{\"a\":1}"), new ToolCall("c1", "g", "{\"b\":2}"));
        assertThat(r.content()).isNull();
    }

    @Test
    void a_stream_cut_before_the_end_is_incomplete() {
        ChatStreamAssembler a = new ChatStreamAssembler();
        feed(a, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}");

        assertThatThrownBy(() -> a.complete(ChatResponse.CallInfo.NONE)).isInstanceOf(ModelException.Unavailable.class);
    }

    @Test
    void malformed_chunk_is_unavailable() {
        assertThatThrownBy(() -> feed(new ChatStreamAssembler(), "{\"choices\": [")).isInstanceOf(ModelException.Unavailable.class);
    }
}
