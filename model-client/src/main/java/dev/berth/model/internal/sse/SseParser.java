package dev.berth.model.internal.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An incremental parser of {@code text/event-stream}: feed it bytes as they arrive in any
 * chunking, get the complete events. Lines end in LF, CRLF or CR; comment lines ({@code :...})
 * and unknown fields are ignored. Splitting on bytes is safe for UTF-8, whose multi-byte
 * sequences never contain line-break bytes. Not thread safe: one parser per stream.
 */
public final class SseParser {
    private byte[] line = new byte[256];
    private int length;
    private boolean lastWasCr;
    private String event;
    private StringBuilder data;

    /** Parses the next bytes; returns the events they completed (often none or one). */
    public List<SseEvent> feed(byte[] bytes) {
        List<SseEvent> out = null;
        for (byte b : bytes) {
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                SseEvent e = endLine();
                if (e != null) {
                    if (out == null) {
                        out = new ArrayList<>(2);
                    }
                    out.add(e);
                }
            } else {
                if (length == line.length) {
                    line = Arrays.copyOf(line, length * 2);
                }
                line[length++] = b;
            }
        }
        return out == null ? List.of() : out;
    }

    /** Flushes an event not terminated by a blank line when the stream ends; null if none. */
    public SseEvent finish() {
        if (length > 0) {
            endLine();
        }
        return dispatch();
    }

    private SseEvent endLine() {
        if (length == 0) {
            return dispatch();
        }
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        length = 0;
        if (text.startsWith(":")) {
            return null;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "event" -> event = value;
            default -> {
                // id, retry and unknown fields: nothing the model API needs
            }
        }
        return null;
    }

    private SseEvent dispatch() {
        if (data == null) {
            event = null;
            return null;
        }
        SseEvent e = new SseEvent(event, data.toString());
        event = null;
        data = null;
        return e;
    }
}
