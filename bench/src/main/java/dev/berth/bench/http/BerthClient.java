package dev.berth.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * Berth's public API as the benchmark uses it: blocking calls, meant to be made from virtual
 * threads (one per simulated user). Thread safe.
 */
public final class BerthClient {
    /** The longest server-side wait the API accepts per request. */
    private static final int WAIT_SECONDS = 60;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(WAIT_SECONDS + 30);
    private final HttpClient http;
    private final String baseUrl;
    private final String key;
    private final ObjectMapper json = new ObjectMapper();
    private final java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();

    public BerthClient(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Requests sent again after the connection failed (see {@link #send}). */
    public int retries() {
        return retries.get();
    }

    /** Creates (a new version of) an agent with the given builtin tools. */
    public void putAgent(String name, List<String> tools) {
        send("PUT", "/v1/agents/" + name, Map.of("instructions", "You are Berth's benchmark agent. Be brief.",
                "model", "bench", "tools", tools), 200, 201);
    }

    /** Opens a session and returns its id. */
    public UUID openSession(String agent, String actorId) {
        JsonNode session = send("POST", "/v1/sessions", Map.of("agent", agent, "actorId", actorId), 201, 200);
        return UUID.fromString(session.path("id").asText());
    }

    /** Sends input and waits until its run settles (following up with GET while it has not). */
    public TurnResult turn(UUID sessionId, String text) {
        long start = System.nanoTime();
        JsonNode run = send("POST", "/v1/sessions/" + sessionId + "/messages?wait=" + WAIT_SECONDS,
                Map.of("text", text), 200, 202);
        for (int i = 0; i < 20 && !settled(run); i++) {
            run = send("GET", "/v1/runs/" + run.path("id").asText() + "?wait=" + WAIT_SECONDS, null, 200);
        }
        long end = System.nanoTime();
        return new TurnResult(run.path("id").asText(), run.path("status").asText(), run.path("step").asInt(),
                run.path("modelCalls").asInt(), end - start, end, instant(run, "createdAt"),
                instant(run, "finishedAt"));
    }

    /** Submits input without waiting; returns the run id. */
    public String submit(UUID sessionId, String text) {
        return send("POST", "/v1/sessions/" + sessionId + "/messages", Map.of("text", text), 202, 200)
                .path("id").asText();
    }

    private static boolean settled(JsonNode run) {
        return switch (run.path("status").asText()) {
            case "queued", "running" -> false;
            default -> true;
        };
    }

    private static Instant instant(JsonNode run, String field) {
        JsonNode node = run.get(field);
        return node == null || node.isNull() ? null : Instant.parse(node.asText());
    }

    /** Any API call: the JSON answer, or {@link ApiException} when the status is not one of {@code expected}. */
    public JsonNode call(String method, String path, Object body, int... expected) {
        return send(method, path, body, expected);
    }

    private JsonNode send(String method, String path, Object body, int... expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + key)
                    .header("Accept", "application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                // A pooled keep-alive connection can be found closed when reused ("received no bytes"):
                // send once more on a fresh one, and count it so that a report can show it happened.
                retries.incrementAndGet();
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            }
            for (int status : expected) {
                if (response.statusCode() == status) {
                    return response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
                }
            }
            throw new ApiException(method + " " + path + " answered " + response.statusCode() + ": "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(method + " " + path + " interrupted", e);
        }
    }

    /** A call that failed or answered with an unexpected status. */
    public static final class ApiException extends RuntimeException {
        ApiException(String message) {
            super(message);
        }

        ApiException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
