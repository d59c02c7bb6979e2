package dev.berth.deploy.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What came back: {@code status} 0 means no answer at all (the connection was closed or timed out
 * before a status line arrived; {@code timedOut} tells which). Header names are lower case.
 */
public record RawAnswer(int status, Map<String, String> headers, byte[] body, boolean timedOut) {

    public static RawAnswer none(boolean timedOut) {
        return new RawAnswer(0, Map.of(), new byte[0], timedOut);
    }

    public String contentType() {
        return headers.getOrDefault("content-type", "");
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isProblem() {
        return contentType().toLowerCase().startsWith("application/problem+json");
    }
}
