package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One Berth process whose PostgreSQL (the test's own server) stops and starts again: readiness
 * follows the database within a second, an open event stream rides a short outage out, and a
 * recovered outage leaves no error storm in the log (ADR 0027, docs/recovery.md).
 */
class OutageAtTheEdgesIT {
    private static final String AGENT = "clock";
    /** The reactive pool's connection timeout: the stale timers of vertx-sql-client#1706 fire this long after. */
    private static final Duration POOL_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    /** Longer than the 10 s a waiting stream goes without reading, shorter than the 30 s it rides out. */
    private static final Duration STREAM_OUTAGE = Duration.ofSeconds(12);
    private static Cluster cluster;

    @BeforeAll
    static void startOneProcess() throws Exception {
        cluster = Cluster.start(1, Duration.ofMillis(300));
        cluster.client(0).defineAgent(AGENT, "enqueue", List.of("current_time"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void databaseBackAndProcessReady() {
        cluster.database().start();
        await("the process ready again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> readiness() == 200);
    }

    @Test
    void readinessGoesDownWithTheDatabaseAndIsBackWithinASecondOfIt() throws Exception {
        // Given a ready process
        assertThat(readiness()).isEqualTo(200);
        ProcessLog log = ProcessLog.from(cluster.process(0));

        // When PostgreSQL stops (a clean shutdown: it refuses new connections from its start, and
        // takes a while on a loaded machine)
        Instant stopAsked = Instant.now();
        cluster.database().stopServer();
        Instant stopped = Instant.now();

        // Then readiness goes down within two seconds of the database being gone
        Instant down = await("readiness down").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(OutageAtTheEdgesIT::readinessInstant, probe -> probe.status() == 503).at();
        Duration toDown = Duration.between(stopped, down);

        // And when it starts again, readiness is back within a second of its accepting connections
        AtomicReference<Instant> accepting = new AtomicReference<>();
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> accepting.set(firstAcceptedConnection()));
        cluster.database().start();
        watcher.get();
        Instant up = await("readiness up").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(OutageAtTheEdgesIT::readinessInstant, probe -> probe.status() == 200).at();
        Duration toUp = Duration.between(accepting.get(), up);
        System.out.printf("%n=== readiness through a database outage ===%nPostgreSQL asked to stop -> readiness 503: %d ms"
                + " (the shutdown took %d ms)%nPostgreSQL stopped -> readiness 503: %d ms%n"
                + "PostgreSQL accepting connections -> readiness 200: %d ms%n", Duration.between(stopAsked, down).toMillis(),
                Duration.between(stopAsked, stopped).toMillis(), Math.max(0, toDown.toMillis()), toUp.toMillis());
        assertThat(toDown).as("stop to readiness down").isLessThan(Duration.ofSeconds(2));
        assertThat(toUp).as("database accepting to readiness up").isLessThan(Duration.ofSeconds(1));
        assertThat(log.stackFrames()).as("stack frames logged:\n%s", log.excerpt()).isZero();
    }

    @Test
    void anOpenStreamRidesAnOutageOutAndDeliversEveryEventOnce() throws Exception {
        // Given a session with a finished run, and its stream open from the start
        BerthClient client = cluster.client(0);
        String session = client.openSession(AGENT, "sam");
        settled(client, client.submit(session, "What time is it? first"));
        ProcessLog log = ProcessLog.from(cluster.process(0));
        AtomicReference<String> secondRun = new AtomicReference<>();

        List<SseReader.Received> received = SseReader.read(client.base(), session, null, () -> {
            // When PostgreSQL is gone while the stream waits, longer than the stream's poll period
            // (so that it reads during the outage, whatever notification it got), and new input follows
            cluster.database().stopServer();
            LockSupport.parkNanos(STREAM_OUTAGE.toNanos());
            cluster.database().start();
            secondRun.set(await("input accepted after the outage").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> client.submit(session, "What time is it? second"), reply -> reply.status() == 202)
                    .text("id"));
        }, seen -> seen.stream().filter(e -> e.name().equals("assistant.message")).count() >= 4,
                Duration.ofSeconds(60), true);

        // Then the stream delivered every committed event exactly once, in order, did not end, and
        // nothing was logged with a stack
        settled(client, new BerthClient.Reply(202, "", BerthClient.JSON.createObjectNode().put("id", secondRun.get()), false));
        List<Long> committed = client.events(session).stream().map(e -> e.path("seq").asLong()).toList();
        assertThat(received).extracting(SseReader.Received::name).doesNotContain("stream.error");
        assertThat(received.stream().filter(e -> e.id() >= 0)).extracting(SseReader.Received::id)
                .containsExactlyElementsOf(committed);
        assertThat(log.countContaining("An event stream ended early")).as("streams ended").isZero();
        assertThat(log.stackFrames()).as("stack frames logged:\n%s", log.excerpt()).isZero();
        assertThat(log.errors()).as("errors logged:\n%s", log.excerpt()).isZero();
    }

    @Test
    void aRecoveredOutageLeavesNoErrorStorm() throws Exception {
        // Given runs in flight
        BerthClient client = cluster.client(0);
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String session = client.openSession(AGENT, "ann-" + i);
            BerthClient.Reply reply = client.submit(session, "What time is it? " + i);
            assertThat(reply.status()).isEqualTo(202);
            runs.add(reply.text("id"));
        }
        await("runs running").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> "running".equals(cluster.runColumn(runs.getLast(), "status")));

        // When PostgreSQL is gone for ten seconds, then back, and the pool's connection timeout has passed since
        cluster.database().stopServer();
        LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());
        cluster.database().start();
        Instant back = Instant.now();
        ProcessLog log = ProcessLog.from(cluster.process(0));
        for (String run : runs) {
            assertThat(cluster.settled(run).path("status").asText()).isEqualTo("completed");
        }
        LockSupport.parkNanos(Duration.between(Instant.now(), back.plus(POOL_CONNECTION_TIMEOUT).plusSeconds(10))
                .toNanos());

        // Then the log since the database came back has no "Result is already complete", no error and no stack trace
        long storm = log.countContaining("Result is already complete");
        System.out.printf("%n=== after a 10 s database outage ===%n'Result is already complete' lines: %d; errors: %d;"
                + " stack frames: %d%n", storm, log.errors(), log.stackFrames());
        assertThat(storm).as("'Result is already complete' lines:\n%s", log.excerpt()).isZero();
        assertThat(log.errors()).as("errors logged:\n%s", log.excerpt()).isZero();
        assertThat(log.stackFrames()).as("stack frames logged:\n%s", log.excerpt()).isZero();
    }

    private static void settled(BerthClient client, BerthClient.Reply submitted) {
        assertThat(submitted.status()).as("submit answered %s", submitted.body()).isEqualTo(202);
        JsonNode run = cluster.settled(submitted.text("id"));
        assertThat(run.path("status").asText()).isEqualTo("completed");
    }

    private static int readiness() {
        try {
            return cluster.client(0).readiness().status();
        } catch (IOException e) {
            return -1;
        }
    }

    private record Probe(int status, Instant at) {
    }

    private static Probe readinessInstant() {
        int status = readiness();
        return new Probe(status, Instant.now());
    }

    /** Polls the database until it accepts a connection; the instant it first did. */
    private static Instant firstAcceptedConnection() {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            try (Connection ignored = cluster.database().connect()) {
                return Instant.now();
            } catch (SQLException notYet) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
        }
        throw new AssertionError("PostgreSQL did not accept connections within 60 s");
    }
}
