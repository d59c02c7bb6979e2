package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.fake.FakeReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Berth processes on one database: input policies, cancellation, timeouts and expiry work
 * whichever process a client reaches. Every bound here is met only through LISTEN/NOTIFY: the
 * processes poll for claimable runs every {@link #SLOWED} and renew leases (the heartbeat, which
 * also delivers cancellation requests) every {@link #HEARTBEAT}, leases lasting {@link #LEASE},
 * all far beyond the seconds the tests allow. (A run cut short by a kill is taken over in
 * {@link RetryAfterKillIT}, which needs short leases.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossProcessIT {
    static final Duration SLOW = Duration.ofSeconds(30);
    /** Poll interval: a queued run that waits for it fails its test's bound many times over. */
    static final Duration SLOWED = Duration.ofMinutes(10);
    static final Duration HEARTBEAT = Duration.ofMinutes(3);
    static final Duration LEASE = Duration.ofMinutes(10);
    private static final String PROBLEMS = "https://berth.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Cluster cluster;

    @BeforeAll
    static void startTwoProcesses() throws Exception {
        // Streamed answers come a word every 20 ms, so that a long one takes long enough to preview.
        cluster = Cluster.start(2, FakeOptions.defaults().withLatency(Duration.ofMillis(1000))
                .withChunkDelay(Duration.ofMillis(20)), LEASE, HEARTBEAT, SLOWED);
        cluster.client(0).defineAgent("clock", "enqueue", List.of("current_time"));
        cluster.client(0).defineAgent("hasty", List.of("current_time"), 2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void resetModel() {
        cluster.fake().reset();
    }

    @Test
    @Order(0)
    void previewsOfAnAnswerReachAClientOfAnotherProcessWhileTheModelGenerates() throws Exception {
        // Given a run whose model streams a long answer, word by word
        String session = cluster.client(0).openSession("clock", "dora", "enqueue");
        String answer = IntStream.rangeClosed(1, 60).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
        // (it starts streaming 4 s after the call, time enough for the client to connect on a busy machine)
        cluster.fake().enqueue(FakeReply.text(answer).withLatency(Duration.ofSeconds(4)));
        String run = accepted(cluster.client(0).submit(session, "Tell me a long story"));
        awaitModelCalled(1);
        int other = 1 - cluster.indexOf(cluster.runColumn(run, "lease_owner"));

        // When a client follows the session on the process that does not run it
        List<SseReader.Received> got = SseReader.read(cluster.process(other).baseUrl(), session, 1L, () -> { },
                received -> received.stream().anyMatch(e -> "assistant.message".equals(e.name())),
                Duration.ofSeconds(30), true);

        // Then previews of the answer arrive before the committed message: in order, without
        // gaps, tagged with the run and its model call, each the next part of the final text
        List<SseReader.Received> deltas = got.stream().filter(e -> "assistant.delta".equals(e.name())).toList();
        assertThat(deltas).hasSizeGreaterThan(1).allMatch(e -> e.id() == -1);
        assertThat(got.getLast().name()).isEqualTo("assistant.message");
        StringBuilder previewed = new StringBuilder();
        for (SseReader.Received delta : deltas) {
            JsonNode data = JSON.readTree(delta.data());
            assertThat(data.path("runId").asText()).isEqualTo(run);
            assertThat(data.path("step").asInt()).isEqualTo(1);
            assertThat(data.path("offset").asInt()).isEqualTo(previewed.length());
            previewed.append(data.path("text").asText());
        }
        assertThat(answer).startsWith(previewed.toString());
        assertThat(JSON.readTree(got.getLast().data()).path("data").path("text").asText()).isEqualTo(answer);
        assertThat(cluster.settled(run).path("status").asText()).isEqualTo("completed");
    }

    @Test
    @Order(1)
    void enqueuedInputIsAnsweredAfterTheActiveRunInOrder() throws Exception {
        // Given a session with the default policy
        String session = cluster.client(0).openSession("clock", "erin", "enqueue");

        // When two messages arrive back to back, on different processes
        String first = accepted(cluster.client(0).submit(session, "What time is it? first"));
        String second = accepted(cluster.client(1).submit(session, "What time is it? second"));

        // Then both are answered, the second only after the first finished, each with its own tool call
        JsonNode one = cluster.settled(first);
        JsonNode two = cluster.settled(second);
        assertThat(one.path("status").asText()).isEqualTo("completed");
        assertThat(two.path("status").asText()).isEqualTo("completed");
        assertThat(Instant.parse(two.path("startedAt").asText())).isAfterOrEqualTo(Instant.parse(one.path("finishedAt").asText()));
        List<String> stepOwners = cluster.client(1).events(session).stream()
                .filter(e -> !"user.message".equals(e.path("type").asText()))
                .map(e -> e.path("runId").asText()).toList();
        assertThat(stepOwners).containsExactly(first, first, first, second, second, second);
    }

    @Test
    @Order(2)
    void rejectPolicyRefusesInputWhileARunIsActive() throws Exception {
        // Given a session that rejects input while busy, with a run in progress
        String session = cluster.client(0).openSession("clock", "frank", "reject");
        String first = accepted(cluster.client(0).submit(session, "What time is it?"));

        // When more input arrives on the other process
        BerthClient.Reply refused = cluster.client(1).submit(session, "Are you there?");

        // Then it is refused with a problem, and the session holds only the first turn
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("type")).isEqualTo(PROBLEMS + "session-busy");
        assertThat(cluster.settled(first).path("status").asText()).isEqualTo("completed");
        assertThat(cluster.client(1).events(session)).extracting(e -> e.path("runId").asText()).containsOnly(first);
        assertThat(cluster.client(1).submit(session, "Now?").status()).isEqualTo(202);
    }

    @Test
    @Order(3)
    void interruptPolicyCancelsTheActiveRunAndAnswersTheNewInput() throws Exception {
        // Given a session whose policy is interrupt, with a run waiting for a slow model
        String session = cluster.client(0).openSession("clock", "gina", "interrupt");
        cluster.fake().enqueue(FakeReply.text("too late").withLatency(SLOW));
        String first = accepted(cluster.client(0).submit(session, "Tell me a long story"));
        awaitModelCalled(1);

        // When new input arrives on the other process
        Instant sent = Instant.now();
        String second = accepted(cluster.client(1).submit(session, "What time is it? instead"));

        // Then the first run is cancelled at once and the new input is answered
        JsonNode cancelled = cluster.settled(first);
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
        assertThat(Duration.between(sent, Instant.parse(cancelled.path("finishedAt").asText())))
                .isLessThan(Duration.ofSeconds(4));
        assertThat(cluster.settled(second).path("status").asText()).isEqualTo("completed");
        assertThat(cluster.client(0).events(session)).extracting(e -> e.path("type").asText())
                .containsSubsequence("run.cancelled", "assistant.message", "tool.result", "assistant.message");
    }

    @Test
    @Order(4)
    void aCancelSentToAnotherProcessStopsTheModelCallPromptly() throws Exception {
        // Given a run in a slow model call on one process
        String session = cluster.client(0).openSession("clock", "hugo", "enqueue");
        cluster.fake().enqueue(FakeReply.text("never seen").withLatency(SLOW));
        String run = accepted(cluster.client(0).submit(session, "Tell me a long story"));
        awaitModelCalled(1);
        int other = 1 - cluster.indexOf(cluster.runColumn(run, "lease_owner"));

        // When the client cancels it through the other process
        Instant asked = Instant.now();
        assertThat(cluster.client(other).cancel(run).status()).isEqualTo(200);

        // Then the owner hears of it and stops long before the model would have answered
        JsonNode cancelled = cluster.settled(run);
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
        assertThat(Duration.between(asked, Instant.parse(cancelled.path("finishedAt").asText())))
                .isLessThan(Duration.ofSeconds(3));
        assertThat(cluster.client(other).events(session).getLast().path("type").asText()).isEqualTo("run.cancelled");
    }

    @Test
    @Order(5)
    void aRunOverItsTimeLimitFailsEvenDuringAModelCall() throws Exception {
        // Given an agent whose runs may take 2 s, and a model that takes 30 s
        String session = cluster.client(0).openSession("hasty", "ines", "enqueue");
        cluster.fake().enqueue(FakeReply.text("never seen").withLatency(SLOW));

        // When a message is sent
        Instant sent = Instant.now();
        String run = accepted(cluster.client(1).submit(session, "Tell me a long story"));

        // Then the run fails with a timeout soon after its limit
        JsonNode failed = cluster.settled(run);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("run_timeout");
        assertThat(Duration.between(sent, Instant.parse(failed.path("finishedAt").asText())))
                .isLessThan(Duration.ofSeconds(6));
    }

    @Test
    @Order(6)
    void anExpiredSessionTakesNoInputAndItsRunEnds() throws Exception {
        // Given a session that expires after 3 s, with a run waiting for a slow model
        String session = cluster.client(0).openSession("clock", "jack", 3);
        cluster.fake().enqueue(FakeReply.text("never seen").withLatency(SLOW));
        String run = accepted(cluster.client(0).submit(session, "Tell me a long story"));

        // When its time is up
        JsonNode expired = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.client(1).run(run, 0).body(), body -> "expired".equals(body.path("status").asText()));

        // Then the run is expired by a sweeper, and new input is refused with a clear problem
        assertThat(expired.path("finishedAt").isNull()).isFalse();
        BerthClient.Reply refused = cluster.client(1).submit(session, "Still there?");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("type")).isEqualTo(PROBLEMS + "session-expired");
        // and the session is still there to read, saying it expired
        BerthClient.Reply read = cluster.client(0).send("GET", "/v1/sessions/" + session, null, Duration.ofSeconds(5));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("status")).isEqualTo("expired");
    }

    @Test
    @Order(7)
    void theStreamResumesOnAnotherProcessWithoutGapsOrDuplicates() throws Exception {
        // Given a session with one answered message, of which a client streamed two events from process 0
        String session = cluster.client(0).openSession("clock", "kate", "enqueue");
        cluster.settled(accepted(cluster.client(0).submit(session, "What time is it? one")));
        List<SseReader.Received> before = SseReader.read(cluster.process(0).baseUrl(), session, null, () -> { },
                got -> got.size() >= 2, Duration.ofSeconds(20));
        long last = before.getLast().id();
        // and a second message was answered while the client was away
        cluster.settled(accepted(cluster.client(0).submit(session, "What time is it? two")));

        // When the client reconnects to process 1 with Last-Event-ID, and a third message is sent meanwhile
        List<SseReader.Received> after = SseReader.read(cluster.process(1).baseUrl(), session, last,
                () -> submitQuietly(session, "What time is it? three"), got -> got.size() >= 12 - 2,
                Duration.ofSeconds(30));

        // Then it receives every later event once, in order, including the ones committed while connected
        assertThat(before).extracting(SseReader.Received::id).containsExactly(1L, 2L);
        assertThat(after).extracting(SseReader.Received::id)
                .containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(after.getLast().name()).isEqualTo("assistant.message");
    }

    @Test
    @Order(8)
    void requestsFailCleanlyWhileTheDatabaseIsDownAndWorkResumesAfter() throws Exception {
        // Given a session, and PostgreSQL going down
        String session = cluster.client(0).openSession("clock", "liam", "enqueue");
        cluster.database().stopServer();
        BerthClient.Reply down;
        BerthClient.Reply submitDown;
        try {
            // When clients read and write meanwhile
            down = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.client(1).send("GET", "/v1/sessions/" + session, null, Duration.ofSeconds(10)),
                            reply -> reply.status() != 200);
            submitDown = cluster.client(0).submit(session, "What time is it? while down");
        } finally {
            cluster.database().start();
        }

        // Then they get a retryable 503 problem, and once it is back, input is taken and answered
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.contentType()).startsWith("application/problem+json");
        assertThat(down.text("type")).isEqualTo(PROBLEMS + "unavailable");
        assertThat(submitDown.status()).isEqualTo(503);
        String run = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> cluster.client(1).submit(session, "What time is it? after"), r -> r.status() == 202)
                .text("id");
        assertThat(cluster.settled(run).path("status").asText()).isEqualTo("completed");
        assertThat(cluster.client(0).events(session)).extracting(e -> e.path("seq").asLong())
                .containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    @Order(9)
    void aDrainedProcessHandsItsRunOverAtOnce() throws Exception {
        // Given a run in progress on one process
        String session = cluster.client(0).openSession("clock", "mia", "enqueue");
        String run = accepted(cluster.client(1).submit(session, "What time is it? drained"));
        awaitModelCalled(1);
        int owner = cluster.indexOf(cluster.runColumn(run, "lease_owner"));
        ReadinessProbe probe = ReadinessProbe.start(cluster.client(owner));

        // When that process gets SIGTERM
        Instant stopped = Instant.now();
        cluster.process(owner).stop();

        // Then readiness went down first, and the other process carries on without waiting for its lease to run out
        assertThat(probe.awaitStatuses()).contains(503);
        JsonNode done = cluster.settled(run);
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(cluster.runColumn(run, "lease_epoch")).isEqualTo("2");
        assertThat(Duration.between(stopped, Instant.parse(done.path("finishedAt").asText())))
                .isLessThan(Duration.ofSeconds(12));
        assertThat(cluster.client(1 - owner).events(session)).extracting(e -> e.path("type").asText())
                .containsExactly("user.message", "assistant.message", "tool.result", "assistant.message");
    }

    private static String accepted(BerthClient.Reply reply) {
        assertThat(reply.status()).as("submit answered %s", reply.body()).isEqualTo(202);
        return reply.text("id");
    }

    private static void awaitModelCalled(int times) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> cluster.fake().requests().size() >= times);
    }

    private static void submitQuietly(String session, String text) {
        try {
            accepted(cluster.client(0).submit(session, text));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
