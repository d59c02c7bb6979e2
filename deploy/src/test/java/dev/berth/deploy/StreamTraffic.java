package dev.berth.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Stream requests as many clients would send them, a few at a time (see StreamPoolTest). */
final class StreamTraffic {
    private static final int CLIENTS = 16;
    /** Wrong answers after which the rest is not sent: a leaking server makes each one wait long. */
    private static final int GIVE_UP_AFTER = 20;

    private final URL base;
    private final String key;

    StreamTraffic(URL base, String key) {
        this.base = base;
        this.key = key;
    }

    /** What a stream request got: its status and content type, or -1 if the exchange failed. */
    record Answer(int status, String contentType) {
        boolean refused() {
            return status == 404 && contentType.startsWith("application/problem+json");
        }
    }

    static Map<String, Integer> byOutcome(List<Answer> answers) {
        Map<String, Integer> counts = new TreeMap<>();
        answers.forEach(a -> counts.merge(a.status() + " " + a.contentType(), 1, Integer::sum));
        return counts;
    }

    /** {@code count} stream requests for the sessions {@code ids} names; each waits for its head only. */
    List<Answer> refused(int count, IntFunction<String> ids) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger wrong = new AtomicInteger();
        List<Future<Answer>> sent = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            for (int i = 0; i < count; i++) {
                String id = ids.apply(i);
                sent.add(clients.submit(() -> {
                    Answer answer = wrong.get() > GIVE_UP_AFTER ? new Answer(-2, "not sent") : ask(client, id);
                    if (!answer.refused()) {
                        wrong.incrementAndGet();
                    }
                    return answer;
                }));
            }
        }
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> answer : sent) {
            answers.add(answer.get());
        }
        return answers;
    }

    private Answer ask(HttpClient client, String sessionId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "v1/sessions/" + sessionId + "/stream"))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""));
            }
        } catch (IOException e) {
            return new Answer(-1, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "interrupted");
        }
    }

    /**
     * Opens {@code count} streams of {@code sessionId} on raw sockets and closes each after a random
     * 0 to {@code maxMillis} ms, every other one with a reset instead of a close; returns how many
     * were opened and closed.
     */
    int hangUps(int count, String sessionId, int maxMillis) throws Exception {
        String request = "GET /v1/sessions/" + sessionId + "/stream HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                + "Authorization: Bearer " + key + "\r\nAccept: text/event-stream\r\n\r\n";
        AtomicInteger closed = new AtomicInteger();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor()) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                boolean reset = i % 2 == 0;
                sent.add(clients.submit(() -> {
                    Socket socket = new Socket(base.getHost(), base.getPort());
                    if (reset) {
                        socket.setSoLinger(true, 0);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(request.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // The client hangs up at a random moment: before, during or after the head.
                    timer.schedule(() -> {
                        socket.close();
                        return closed.incrementAndGet();
                    }, ThreadLocalRandom.current().nextLong(maxMillis * 1000L + 1), TimeUnit.MICROSECONDS).get();
                    return null;
                }));
            }
            for (Future<?> one : sent) {
                one.get();
            }
        }
        return closed.get();
    }
}
