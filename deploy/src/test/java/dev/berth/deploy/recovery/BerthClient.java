package dev.berth.deploy.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.testsupport.BerthProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drives one Berth process's HTTP API as a client would, with the admin key (or another). No retries: the
 * caller decides what a failed request means (the recovery driver retries on another process).
 */
final class BerthClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String base;
    private final String management;
    private final String key;

    BerthClient(String base, String management) {
        this(base, management, BerthProcess.ADMIN_KEY);
    }

    private BerthClient(String base, String management, String key) {
        this.base = base;
        this.management = management;
        this.key = key;
    }

    /** The same process, asked with another API key. */
    BerthClient withKey(String apiKey) {
        return new BerthClient(base, management, apiKey);
    }

    /** A client of {@code process}'s API, and of its management port for readiness. */
    static BerthClient of(BerthProcess process) {
        return new BerthClient(process.baseUrl(), process.managementUrl());
    }

    /**
     * A status and a JSON body (null when the body is not JSON), whether it is an idempotent replay,
     * and its Retry-After header (or null).
     */
    record Reply(int status, String contentType, JsonNode body, boolean replayed, String retryAfter) {
        Reply(int status, String contentType, JsonNode body, boolean replayed) {
            this(status, contentType, body, replayed, null);
        }

        String text(String field) {
            return body == null ? null : body.path(field).asText(null);
        }
    }

    String base() {
        return base;
    }

    void defineAgent(String name, String policy, List<String> tools) throws IOException {
        Map<String, Object> body = Map.of("instructions", "You are a test agent.", "model", "test-model",
                "tools", tools, "inputPolicy", policy);
        expect(send("PUT", "/v1/agents/" + name, body, Duration.ofSeconds(10)), 201);
    }

    String openSession(String agent, String actor) throws IOException {
        return expect(send("POST", "/v1/sessions", Map.of("agent", agent, "actorId", actor), Duration.ofSeconds(10)),
                201).text("id");
    }

    String openSession(String agent, String actor, long ttlSeconds) throws IOException {
        return expect(send("POST", "/v1/sessions", Map.of("agent", agent, "actorId", actor, "ttlSeconds", ttlSeconds),
                Duration.ofSeconds(10)), 201).text("id");
    }

    String openSession(String agent, String actor, String inputPolicy) throws IOException {
        return expect(send("POST", "/v1/sessions", Map.of("agent", agent, "actorId", actor, "inputPolicy", inputPolicy),
                Duration.ofSeconds(10)), 201).text("id");
    }

    void defineAgent(String name, List<String> tools, long runTimeoutSeconds) throws IOException {
        Map<String, Object> body = Map.of("instructions", "You are a test agent.", "model", "test-model",
                "tools", tools, "limits", Map.of("runTimeoutSeconds", runTimeoutSeconds));
        expect(send("PUT", "/v1/agents/" + name, body, Duration.ofSeconds(10)), 201);
    }

    /** Readiness, asked on the management port (health is not served on the API's port). */
    Reply readiness() throws IOException {
        return send(management, "GET", "/q/health/ready", null, Duration.ofSeconds(2));
    }

    /**
     * A counter or gauge of the process's Prometheus metrics (management port), summed over its
     * labels; 0 when the process does not show it.
     */
    double metric(String name) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(management + "/q/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        String text;
        try {
            text = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    Reply submit(String session, String text) throws IOException {
        return send("POST", "/v1/sessions/" + session + "/messages", Map.of("text", text), Duration.ofSeconds(10));
    }

    /** The run, once settled or after {@code waitSeconds}. */
    Reply run(String runId, int waitSeconds) throws IOException {
        return send("GET", "/v1/runs/" + runId + "?wait=" + waitSeconds, null, Duration.ofSeconds(waitSeconds + 10));
    }

    Reply cancel(String runId) throws IOException {
        return send("POST", "/v1/runs/" + runId + "/cancel", null, Duration.ofSeconds(10));
    }

    /** All committed events of a session, paging through them. */
    List<JsonNode> events(String session) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            Reply page = expect(send("GET", "/v1/sessions/" + session + "/events?limit=500&after=" + after, null,
                    Duration.ofSeconds(10)), 200);
            page.body().path("items").forEach(all::add);
            if (page.body().path("items").size() < 500) {
                return all;
            }
            after = all.getLast().path("seq").asLong();
        }
    }

    Reply send(String method, String path, Object body, Duration timeout) throws IOException {
        return send(base, method, path, body, timeout, null);
    }

    /** A request with an {@code Idempotency-Key}. */
    Reply sendKeyed(String method, String path, Object body, Duration timeout, String idempotencyKey) throws IOException {
        return send(base, method, path, body, timeout, idempotencyKey);
    }

    private Reply send(String origin, String method, String path, Object body, Duration timeout) throws IOException {
        return send(origin, method, path, body, timeout, null);
    }

    private Reply send(String origin, String method, String path, Object body, Duration timeout, String idempotencyKey)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path)).timeout(timeout)
                .header("Authorization", "Bearer " + key);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && !response.body().isEmpty() ? JSON.readTree(response.body()) : null;
            return new Reply(response.statusCode(), type, json,
                    "true".equals(response.headers().firstValue("Idempotent-Replayed").orElse(null)),
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static Reply expect(Reply reply, int status) throws IOException {
        if (reply.status() != status) {
            throw new IOException("expected " + status + " but got " + reply.status() + ": " + reply.body());
        }
        return reply;
    }
}
