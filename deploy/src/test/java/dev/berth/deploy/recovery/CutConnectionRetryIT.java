package dev.berth.deploy.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.BerthProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that retries every submission after cutting its own connection at random points, with
 * an {@code Idempotency-Key}: every input exactly once (issue 15, ADR 0024). 200 inputs over 10
 * sessions, sent to two processes over raw sockets; each attempt but the last may be cut before
 * the body is complete, right after it, or while the client waits ({@code ?wait}) for the run;
 * the client retries with the same key, on either process, until it reads an answer. Then every
 * input is one {@code user.message} event with one run, and every answer named that run.
 */
class CutConnectionRetryIT {
    private static final int SESSIONS = 10;
    private static final int INPUTS_PER_SESSION = 20;
    private static final int MAX_ATTEMPTS = 30;

    private static Cluster cluster;

    /** Where an attempt is cut. */
    private enum Cut {
        BEFORE_BODY_ENDS, AFTER_BODY, WHILE_WAITING, NONE
    }

    @BeforeAll
    static void startTwoProcesses() throws Exception {
        cluster = Cluster.start(2, FakeOptions.defaults().withLatency(Duration.ofMillis(30)), Cluster.LEASE_TTL,
                Duration.ofSeconds(1));
        cluster.client(0).defineAgent("steady", "enqueue", List.of());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyInputIsStoredExactlyOnceWhateverTheCuts() throws Exception {
        // Given sessions, and a client per session that sends its inputs one after another
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            sessions.add(cluster.client(0).openSession("steady", "cutter-" + i));
        }
        Map<String, String> answeredRun = new ConcurrentHashMap<>();
        Map<Cut, AtomicInteger> cuts = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(SESSIONS);
        try {
            // When every submission is cut at random points and retried with its key until answered
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                String session = sessions.get(s);
                Random random = new Random(1000 + s);
                done.add(clients.submit(() -> {
                    for (int i = 0; i < INPUTS_PER_SESSION; i++) {
                        String text = session + " input " + i;
                        answeredRun.put(text, submitUntilAnswered(session, text, random, cuts));
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            clients.shutdownNow();
        }

        // Then each input is one user.message event and one run, the run each answer named
        System.out.printf("CutConnectionRetryIT: %d inputs, attempts by cut %s%n", SESSIONS * INPUTS_PER_SESSION, cuts);
        assertThat(cuts.values().stream().mapToInt(AtomicInteger::get).sum() - cuts.getOrDefault(Cut.NONE,
                new AtomicInteger()).get()).as("attempts cut: %s", cuts).isGreaterThan(SESSIONS * INPUTS_PER_SESSION / 2);
        Map<String, List<String>> stored = inputsAndTheirRuns();
        assertThat(stored).hasSize(SESSIONS * INPUTS_PER_SESSION);
        stored.forEach((text, runs) -> {
            assertThat(runs).as("runs of input '%s'", text).hasSize(1);
            assertThat(runs.getFirst()).as("the run the client was answered for '%s'", text).isEqualTo(answeredRun.get(text));
        });
        assertThat(count("select count(*) from runs")).isEqualTo(SESSIONS * INPUTS_PER_SESSION);
        assertThat(count("select count(*) from events where type = 'user.message'")).isEqualTo(SESSIONS * INPUTS_PER_SESSION);
    }

    /** Sends the input until an answer is read; returns the id of the run it names. */
    private static String submitUntilAnswered(String session, String text, Random random, Map<Cut, AtomicInteger> cuts)
            throws Exception {
        String key = "input-" + Integer.toHexString(text.hashCode()) + "-" + random.nextLong();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Cut cut = attempt == MAX_ATTEMPTS || random.nextInt(10) < 3 ? Cut.NONE
                    : Cut.values()[random.nextInt(Cut.values().length - 1)];
            cuts.computeIfAbsent(cut, c -> new AtomicInteger()).incrementAndGet();
            BerthProcess process = cluster.process(random.nextInt(cluster.size()));
            int wait = random.nextInt(3);
            JsonNode answer = attempt(process, session, text, key, wait, cut, random);
            if (answer != null) {
                return answer.path("id").asText();
            }
        }
        throw new AssertionError("no answer for '" + text + "' after " + MAX_ATTEMPTS + " attempts");
    }

    /** One attempt over a raw socket: the answer's body, or null when cut or told to retry later. */
    private static JsonNode attempt(BerthProcess process, String session, String text, String key, int wait, Cut cut,
            Random random) throws Exception {
        URI base = URI.create(process.baseUrl());
        byte[] body = BerthClient.JSON.writeValueAsBytes(Map.of("text", text));
        String head = "POST /v1/sessions/" + session + "/messages?wait=" + wait + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Authorization: Bearer " + BerthProcess.ADMIN_KEY + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Idempotency-Key: " + key + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            switch (cut) {
                case BEFORE_BODY_ENDS -> {
                    out.write(body, 0, random.nextInt(body.length));
                    out.flush();
                    return null;
                }
                case AFTER_BODY -> {
                    out.write(body);
                    out.flush();
                    return null;
                }
                case WHILE_WAITING -> {
                    out.write(body);
                    out.flush();
                    Thread.sleep(random.nextInt(200));
                    return null;
                }
                case NONE -> {
                    out.write(body);
                    out.flush();
                    return answer(socket.getInputStream());
                }
            }
        } catch (IOException e) {
            return null; // a cut the server made (or a refused connection): retry
        }
        return null;
    }

    /** The JSON body of a 200/202 answer; null for a 409 request-in-progress (retry); fails on anything else. */
    private static JsonNode answer(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String response = all.toString(StandardCharsets.UTF_8);
        int status = Integer.parseInt(response.substring(9, 12));
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        if (status == 409 && body.contains("request-in-progress")) {
            return null;
        }
        assertThat(status).as(response).isIn(200, 202);
        return BerthClient.JSON.readTree(body);
    }

    /** Each stored input text with the runs started for it. */
    private static Map<String, List<String>> inputsAndTheirRuns() throws Exception {
        Map<String, List<String>> stored = new HashMap<>();
        try (Connection sql = cluster.sql(); ResultSet rows = sql.createStatement().executeQuery("""
                select e.payload->>'text', r.id::text from events e
                  left join runs r on r.session_id = e.session_id and r.input_seq = e.seq
                 where e.type = 'user.message'""")) {
            while (rows.next()) {
                // An input stored twice shows up as two entries (a stored input without a run, as "null").
                stored.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(String.valueOf(rows.getString(2)));
            }
        }
        return stored;
    }

    private static long count(String query) throws Exception {
        try (Connection sql = cluster.sql(); ResultSet rows = sql.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
