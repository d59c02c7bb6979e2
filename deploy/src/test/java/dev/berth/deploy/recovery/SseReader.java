package dev.berth.deploy.recovery;

import dev.berth.testsupport.BerthProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Follows a session's SSE stream on one process, as a browser's EventSource would. */
final class SseReader {
    /** One received server-sent event; {@code id} is -1 for an event without one (a delta). */
    record Received(long id, String name, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SseReader() {
    }

    /**
     * Connects (with {@code Last-Event-ID} when given), calls {@code whileOpen} once connected,
     * and reads until {@code enough} holds for what was received; then disconnects.
     */
    static List<Received> read(String base, String session, Long lastEventId, Runnable whileOpen,
            Predicate<List<Received>> enough, Duration max) throws Exception {
        return read(base, session, lastEventId, whileOpen, enough, max, false);
    }

    /** As {@link #read(String, String, Long, Runnable, Predicate, Duration)}; with {@code unnumbered}, keeps events without an id too. */
    static List<Received> read(String base, String session, Long lastEventId, Runnable whileOpen,
            Predicate<List<Received>> enough, Duration max, boolean unnumbered) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/sessions/" + session + "/stream"))
                .header("Authorization", "Bearer " + BerthProcess.ADMIN_KEY)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        HttpResponse<Stream<String>> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("stream answered " + response.statusCode());
        }
        List<Received> received = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            whileOpen.run();
            CompletableFuture.runAsync(() -> collect(lines.iterator(), received, enough, unnumbered))
                    .get(max.toMillis(), TimeUnit.MILLISECONDS);
        }
        return received;
    }

    private static void collect(Iterator<String> lines, List<Received> received, Predicate<List<Received>> enough,
            boolean unnumbered) {
        long id = -1;
        String name = null;
        StringBuilder data = new StringBuilder();
        while (!enough.test(received) && lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (id >= 0 || (unnumbered && name != null)) {
                    synchronized (received) {
                        received.add(new Received(id, name, data.toString()));
                    }
                }
                id = -1;
                name = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = Long.parseLong(line.substring(3).trim());
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
    }
}
