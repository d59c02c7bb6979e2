package dev.berth.deploy.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.ManagementPort;
import dev.berth.model.ChatResponse;
import dev.berth.model.FinishReason;
import dev.berth.model.Usage;
import dev.berth.model.fake.FakeReply;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real run through the HTTP API (fake model over HTTP, real PostgreSQL, a remote SDK tool
 * over MCP) shows up in the Prometheus metrics at /q/metrics (management port) and as one trace that continues
 * the client's, with GenAI attributes, and whose trace context reaches the remote tool.
 */
@QuarkusTest
@TestProfile(TracingProfile.class)
class ObservabilityTest {
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Inject
    EngineMetrics metrics;

    @TestHTTPResource
    URL base;

    @BeforeEach
    void reset() {
        BerthTestResource.fake().reset();
        spans.reset();
    }

    @Test
    void aRunWithAToolCallIsCountedTimedAndTracedUnderTheClientsTrace() {
        // Given an agent with a remote tool, a session, and a model that calls the tool and then answers
        String session = sessionWithTool("observed", "desk__lookup_order");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("desk__lookup_order", "{\"orderId\":\"O-7\"}"),
                FakeReply.text("It ships tomorrow."));
        Metrics before = Metrics.scrape();

        // When a client that traces its own work sends a message and waits for the run
        JsonPath run = admin().header("traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01")
                .body(Map.of("text", "When does O-7 ship?"))
                .post("/v1/sessions/" + session + "/messages?wait=20")
                .then().statusCode(200).extract().jsonPath();
        String runId = run.getString("id");

        // Then the metrics count the completed run, its two model calls and their tokens per deployment, and time the tool
        assertThat(run.getString("status")).isEqualTo("completed");
        Metrics after = Metrics.scrape();
        assertThat(after.delta(before, "berth_runs_finished_total{status=\"completed\"}")).isEqualTo(1);
        assertThat(after.delta(before, "berth_run_duration_seconds_count")).isEqualTo(1);
        assertThat(after.delta(before, "berth_step_duration_seconds_count{kind=\"model\"}")).isEqualTo(2);
        assertThat(after.delta(before, "berth_step_duration_seconds_count{kind=\"tools\"}")).isEqualTo(1);
        String deployment = after.label("berth_model_calls_total", "deployment");
        assertThat(after.delta(before, "berth_model_calls_total{deployment=\"" + deployment + "\"}")).isEqualTo(2);
        long inputTokens = run.getLong("usage.inputTokens");
        assertThat(inputTokens).isPositive();
        assertThat(after.delta(before, "berth_model_tokens_total{deployment=\"" + deployment + "\",estimated=\"false\",type=\"input\"}"))
                .isEqualTo(inputTokens);
        assertThat(after.delta(before, "berth_model_tokens_total{deployment=\"" + deployment + "\",estimated=\"false\",type=\"output\"}"))
                .isEqualTo(run.getLong("usage.outputTokens"));
        assertThat(after.delta(before, "berth_tool_call_duration_seconds_count{tool=\"desk__lookup_order\"}"))
                .isEqualTo(1);
        assertThat(after.value("berth_tool_call_duration_seconds_sum{tool=\"desk__lookup_order\"}")).isPositive();
        assertThat(after.value("berth_tool_errors_total{tool=\"desk__lookup_order\"}")).isZero();
        assertThat(after.value("berth_engine_max_concurrent_runs")).isPositive();
        assertThat(after.value("berth_engine_active_runs")).isZero();
        assertThat(after.value("berth_db_pool_max_connections")).isEqualTo(20);
        assertThat(after.has("berth_db_pool_in_use_connections")).isTrue();
        assertThat(after.value("berth_sse_streams_active")).isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Metrics now = Metrics.scrape();
            assertThat(now.value("berth_runs{status=\"queued\"}")).isZero();
            assertThat(now.value("berth_queue_oldest_age_seconds")).isZero();
        });

        // and the run is one trace under the client's: run, steps, model calls and the tool call, with GenAI attributes
        SpanData runSpan = await().atMost(Duration.ofSeconds(10)).until(() -> find(runId, "invoke_agent"), s -> s != null);
        List<SpanData> all = spans.getFinishedSpanItems();
        assertThat(runSpan.getTraceId()).isEqualTo(CLIENT_TRACE);
        assertThat(ancestors(runSpan, all)).contains(CLIENT_SPAN);
        assertThat(runSpan.getAttributes().get(AttributeKey.stringKey("berth.run.status"))).isEqualTo("completed");
        List<SpanData> steps = children(runSpan, all);
        assertThat(steps).extracting(SpanData::getName).containsExactlyInAnyOrder("step model", "step tools", "step model");
        List<SpanData> chats = steps.stream().flatMap(step -> children(step, all).stream())
                .filter(s -> s.getName().startsWith("chat")).toList();
        assertThat(chats).hasSize(2).allSatisfy(chat -> {
            assertThat(attr(chat, "gen_ai.operation.name")).isEqualTo("chat");
            assertThat(attr(chat, "gen_ai.request.model")).isEqualTo("test-model");
            assertThat(attr(chat, "gen_ai.provider.name")).isEqualTo("openai");
            assertThat(attr(chat, "gen_ai.response.id")).startsWith("chatcmpl-");
            assertThat(chat.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isPositive();
            assertThat(chat.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isPositive();
        });
        SpanData toolStep = steps.stream().filter(s -> s.getName().equals("step tools")).findFirst().orElseThrow();
        List<SpanData> toolSpans = children(toolStep, all);
        assertThat(toolSpans).hasSize(1);
        SpanData tool = toolSpans.getFirst();
        JsonPath events = given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY)
                .get("/v1/sessions/" + session + "/events").then().statusCode(200).extract().jsonPath();
        String callId = events.getString("items.find { it.type == 'tool.result' }.data.callId");
        // (the trace context travelled with the input event, which is how another process would find it)
        assertThat(events.getString("items.find { it.type == 'user.message' }.data.traceparent"))
                .startsWith("00-" + CLIENT_TRACE + "-");
        assertThat(attr(tool, "gen_ai.operation.name")).isEqualTo("execute_tool");
        assertThat(attr(tool, "gen_ai.tool.name")).isEqualTo("desk__lookup_order");
        assertThat(attr(tool, "gen_ai.tool.call.id")).isEqualTo(callId);

        // and the remote tool got the tool span's trace context with the call, over HTTP
        String sent = ObservabilityTestResource.proxy().seen().stream()
                .filter(request -> request.body().contains("\"tools/call\""))
                .map(request -> request.header("traceparent"))
                .findFirst().orElse(null);
        assertThat(sent).isEqualTo("00-" + CLIENT_TRACE + "-" + tool.getSpanId() + "-01");
    }

    @Test
    void tokensTheClientEstimatedAreCountedUnderTheirOwnTag() {
        // Given a model answer whose usage the client counted itself (its stream reported none)
        Metrics before = Metrics.scrape();
        ChatResponse answer = new ChatResponse("chatcmpl-x", "hi", List.of(), FinishReason.STOP,
                new Usage(7, 2, 0, 0, true), null);

        // When the engine meters the call
        metrics.modelCall("estimating-deployment", 1_000_000, answer);

        // Then its tokens are tagged estimated, apart from the provider-reported ones
        Metrics after = Metrics.scrape();
        assertThat(after.delta(before,
                "berth_model_tokens_total{deployment=\"estimating-deployment\",estimated=\"true\",type=\"input\"}"))
                .isEqualTo(7);
        assertThat(after.delta(before,
                "berth_model_tokens_total{deployment=\"estimating-deployment\",estimated=\"true\",type=\"output\"}"))
                .isEqualTo(2);
    }

    @Test
    void aFailedModelCallIsCountedAsAnErrorOfItsKindAndTheRunAsFailed() {
        // Given a model that refuses the request
        String session = sessionWithTool("refused", "desk__lookup_order");
        BerthTestResource.fake().enqueue(FakeReply.error(400, "invalid_request_error", "bad request"));
        Metrics before = Metrics.scrape();

        // When a message is sent
        admin().body(Map.of("text", "hello")).post("/v1/sessions/" + session + "/messages?wait=20")
                .then().statusCode(200);

        // Then the failed run and the model error are counted, labelled with the logical model asked for
        Metrics after = Metrics.scrape();
        assertThat(after.delta(before, "berth_runs_finished_total{status=\"failed\"}")).isEqualTo(1);
        assertThat(after.delta(before, "berth_model_errors_total{deployment=\"test-model\",kind=\"bad_request\"}"))
                .isEqualTo(1);
        assertThat(after.delta(before, "berth_model_calls_total{deployment=\"test-model\"}")).isEqualTo(1);
    }

    @Test
    void aRunTakenOverAfterItsLeaseExpiredIsCountedAndTracedInTheSameTrace() throws Exception {
        // Given a run whose model call is slow, so that it is running under this process's lease
        String session = sessionWithTool("orphaned", "desk__lookup_order");
        BerthTestResource.fake().enqueue(FakeReply.text("Too late.").withLatency(Duration.ofSeconds(2)),
                FakeReply.text("Taken over."));
        Metrics before = Metrics.scrape();
        String runId = admin().header("traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01")
                .body(Map.of("text", "hello")).post("/v1/sessions/" + session + "/messages")
                .then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> BerthTestResource.fake().requests().size() == 1);

        // When its owner is presumed dead: another owner's lease, already expired
        try (var sql = BerthTestResource.database().connect(); var statement = sql.createStatement()) {
            statement.executeUpdate("update runs set lease_owner = 'dead-pod', lease_epoch = lease_epoch + 1,"
                    + " lease_expires_at = now() - interval '1 second' where id = '" + runId + "'");
        }

        // Then the run is taken over (the first execution is fenced out), completes, and the takeover is counted
        String status = admin().get("/v1/runs/" + runId + "?wait=20").then().statusCode(200).extract().path("status");
        assertThat(status).isEqualTo("completed");
        Metrics after = Metrics.scrape();
        assertThat(after.delta(before, "berth_lease_takeovers_total")).isEqualTo(1);
        assertThat(after.delta(before, "berth_runs_finished_total{status=\"completed\"}")).isEqualTo(1);
        // and both executions are in the client's trace, the second marked as a takeover
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().startsWith("invoke_agent"))
                .filter(span -> runId.equals(span.getAttributes().get(AttributeKey.stringKey("berth.run.id"))))
                .map(span -> span.getTraceId() + " takeover=" + span.getAttributes().get(AttributeKey.booleanKey("berth.run.takeover"))))
                .containsExactlyInAnyOrder(CLIENT_TRACE + " takeover=false", CLIENT_TRACE + " takeover=true"));
    }

    @Test
    void anOpenEventStreamIsCountedUntilTheClientLeaves() throws Exception {
        // Given a session with a committed event
        String session = sessionWithTool("streamed", "desk__lookup_order");
        BerthTestResource.fake().enqueue(FakeReply.text("Hello."));
        admin().body(Map.of("text", "hi")).post("/v1/sessions/" + session + "/messages?wait=20").then().statusCode(200);

        // When a client opens the session's stream and reads its first event
        HttpURLConnection stream = (HttpURLConnection) new URL(base, "/v1/sessions/" + session + "/stream").openConnection();
        stream.setRequestProperty("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY);
        stream.setRequestProperty("Accept", "text/event-stream");
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).isNotNull();

        // Then the stream is counted while open, and no longer once the client has gone
        assertThat(Metrics.scrape().value("berth_sse_streams_active")).isEqualTo(1);
        stream.disconnect();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(Metrics.scrape().value("berth_sse_streams_active")).isZero());
    }

    private static String sessionWithTool(String agent, String tool) {
        admin().body(Map.of("instructions", "You are a test agent.", "model", "test-model", "tools", List.of(tool)))
                .put("/v1/agents/" + agent).then().statusCode(201);
        return admin().body(Map.of("agent", agent, "actorId", "olga"))
                .post("/v1/sessions").then().statusCode(201).extract().path("id");
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY).contentType(ContentType.JSON);
    }

    private SpanData find(String runId, String prefix) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().startsWith(prefix))
                .filter(s -> runId.equals(s.getAttributes().get(AttributeKey.stringKey("berth.run.id"))))
                .findFirst().orElse(null);
    }

    private static List<SpanData> children(SpanData parent, List<SpanData> all) {
        return all.stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())).toList();
    }

    /** The span ids above {@code span}, nearest first, as far as they are known. */
    private static List<String> ancestors(SpanData span, List<SpanData> all) {
        List<String> ids = new java.util.ArrayList<>();
        String parent = span.getParentSpanId();
        while (parent != null && !parent.equals("0000000000000000")) {
            ids.add(parent);
            String id = parent;
            parent = all.stream().filter(s -> s.getSpanId().equals(id)).map(SpanData::getParentSpanId)
                    .findFirst().orElse(null);
        }
        return ids;
    }

    private static String attr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    /** One scrape of /q/metrics: samples by series ("name{labels}"). */
    record Metrics(Map<String, Double> samples) {
        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*(?:\\{[^}]*\\})?) (\\S+)$",
                Pattern.MULTILINE);

        static Metrics scrape() {
            String text = given().get(ManagementPort.url("/q/metrics")).then().statusCode(200).extract().asString();
            Map<String, Double> samples = new java.util.HashMap<>();
            Matcher matcher = SAMPLE.matcher(text);
            while (matcher.find()) {
                samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
            return new Metrics(samples);
        }

        boolean has(String series) {
            return samples.keySet().stream().anyMatch(k -> k.equals(series) || k.startsWith(series + "{"));
        }

        double value(String series) {
            Double value = samples.get(series);
            assertThat(value).as("series %s in %s", series, samples.keySet()).isNotNull();
            return value;
        }

        long delta(Metrics before, String series) {
            return Math.round(value(series) - before.samples().getOrDefault(series, 0.0));
        }

        /** The value of {@code label} in the first series of {@code metric}. */
        String label(String metric, String label) {
            Pattern pattern = Pattern.compile(Pattern.quote(metric) + "\\{.*?" + label + "=\"([^\"]*)\"");
            return samples.keySet().stream().map(pattern::matcher).filter(Matcher::find).map(m -> m.group(1))
                    .findFirst().orElseThrow(() -> new AssertionError(metric + " has no " + label));
        }
    }
}
