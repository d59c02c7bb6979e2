package dev.berth.model.internal.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
    private static List<SseEvent> feedInPieces(String text, int pieceSize) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        SseParser parser = new SseParser();
        List<SseEvent> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += pieceSize) {
            byte[] piece = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + pieceSize));
            out.addAll(parser.feed(piece));
        }
        SseEvent last = parser.finish();
        if (last != null) {
            out.add(last);
        }
        return out;
    }

    @Test
    void events_survive_any_chunking_including_split_utf8() {
        String stream = "data: {\"a\":\"héllo ✓\"}\n\nevent: response.completed\ndata: {\"b\":1}\n\ndata: [DONE]\n\n";
        for (int size : new int[] {1, 2, 3, 7, 1000}) {
            assertThat(feedInPieces(stream, size)).as("pieces of %d", size).containsExactly(
                    new SseEvent(null, "{\"a\":\"héllo ✓\"}"), new SseEvent("response.completed", "{\"b\":1}"),
                    new SseEvent(null, "[DONE]"));
        }
    }

    @Test
    void crlf_and_cr_line_endings_comments_and_multi_line_data() {
        String stream = ": keep-alive\r\n\r\ndata: line one\r\ndata:line two\r\nid: 7\r\n\r\ndata: x\r\rdata: y";

        assertThat(feedInPieces(stream, 3)).containsExactly(new SseEvent(null, "line one\nline two"),
                new SseEvent(null, "x"), new SseEvent(null, "y"));
    }
}
