package dev.berth.model.internal.sse;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, or null (chat completions send none)
 * @param data  the {@code data:} lines joined with newlines
 */
public record SseEvent(String event, String data) {
}
