package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the log shows of errors, read from the log itself: a client error is one line without a
 * stack trace, carrying its problem type, status and request id; a server error repeated many
 * times is logged with its stack a bounded number of times.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ProblemLogTest {
    private static final Logger BERTH = Logger.getLogger("dev.berth");

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeEach
    void captureBerthsLogAtDebug() {
        levelBefore = BERTH.getLevel();
        BERTH.setLevel(Level.FINE);
        BERTH.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        BERTH.removeHandler(capture);
        BERTH.setLevel(levelBefore);
    }

    @Test
    void aClientErrorIsOneLineWithoutAStack() {
        // When a client asks for a session that does not exist
        admin().header("X-Request-Id", "log-check-404").get("/v1/sessions/6f1c1e9e-8d3e-4c7a-9d6b-1b2c3d4e5f60")
                .then().statusCode(404);

        // Then the log has one line about it, at debug, naming type, status and request id, with no stack
        List<LogRecord> lines = linesOf("log-check-404");
        assertThat(lines).hasSize(1);
        LogRecord line = lines.getFirst();
        assertThat(line.getLevel()).isEqualTo(org.jboss.logmanager.Level.DEBUG);
        assertThat(line.getThrown()).isNull();
        assertThat(text(line)).contains("404", "not-found", "log-check-404");
    }

    @Test
    void aClientErrorOnTheOpenAiSurfaceIsLoggedBeforeItTakesOpenAisShape() {
        // OpenAiErrors rewrites the problem after ProblemLogFilter has seen it (ADR 0035)
        String body = admin().header("X-Request-Id", "log-check-openai").get("/openai/v1/responses/resp_unknown")
                .then().statusCode(404).extract().asString();

        assertThat(body).contains("\"error\"").contains("\"not_found\"");
        List<LogRecord> lines = linesOf("log-check-openai");
        assertThat(lines).hasSize(1);
        assertThat(text(lines.getFirst())).contains("404", "not-found");
    }

    @Test
    void aClientErrorFromTheRouterIsOneLineToo() {
        given().header("X-Request-Id", "log-check-405").delete("/v1/info").then().statusCode(405);

        List<LogRecord> lines = linesOf("log-check-405");
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst().getThrown()).isNull();
        assertThat(text(lines.getFirst())).contains("405", "method-not-allowed");
    }

    @Test
    void repeatedServerErrorsAreLoggedABoundedNumberOfTimes() throws Exception {
        // When a client makes the same fault happen 200 times, in a resource and in a Vert.x route
        long start = System.nanoTime();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < 200; i++) {
                for (String path : List.of("/_test/fault", "/_test/route-fault")) {
                    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + RestAssured.port + path)).build(), BodyHandlers.ofString());
                    assertThat(answer.statusCode()).isEqualTo(500);
                    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                            type -> assertThat(type).startsWith("application/problem+json"));
                    assertThat(answer.body()).contains("https://berth.dev/problems/internal");
                }
            }
        }
        // (Each kind has ten stacks a minute: on a slow machine the 400 requests may span two.)
        long minutes = 1 + Duration.ofNanos(System.nanoTime() - start).toMinutes();

        // Then each fault's stack is logged ten times a minute, and a line says the rest were left out
        for (Class<?> fault : List.of(FailingRoutes.ResourceFault.class, FailingRoutes.RouteFault.class)) {
            List<LogRecord> stacks = records.stream()
                    .filter(record -> fault.isInstance(record.getThrown())).toList();
            List<LogRecord> lines = records.stream()
                    .filter(record -> fault.isInstance(record.getThrown()) || text(record).contains(fault.getName()))
                    .toList();
            System.out.printf("%s: 200 faults in %d minute(s), %d log lines, %d with a stack%n", fault.getSimpleName(),
                    minutes, lines.size(), stacks.size());
            assertThat(stacks).hasSizeBetween(10, 10 * (int) minutes);
            assertThat(lines).hasSizeBetween(11, 12 * (int) minutes);
            assertThat(lines).filteredOn(record -> text(record).contains("counted, not logged")).isNotEmpty()
                    .allSatisfy(record -> assertThat(record.getThrown()).isNull());
        }
    }

    private List<LogRecord> linesOf(String requestId) {
        return records.stream().filter(record -> text(record).contains(requestId)
                || record instanceof ExtLogRecord ext && requestId.equals(ext.getMdc("requestId"))).toList();
    }

    private static String text(LogRecord record) {
        return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
    }
}
