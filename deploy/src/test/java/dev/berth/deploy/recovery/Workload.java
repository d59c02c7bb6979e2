package dev.berth.deploy.recovery;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Many sessions, each sending messages one after the other (the next once the previous run has
 * settled) through whichever process it reaches, as clients of a load balancer would. A
 * request that fails (process killed, database restarting) is retried on another process; an
 * input counts as acknowledged only when the API answered 202 with its run.
 */
final class Workload {
    /** The demo brain calls {@code current_time} for a message about the time, then summarises its output. */
    static final String AGENT = "clock";

    private final Cluster cluster;
    private final int sessions;
    private final int runsPerSession;
    private final Duration thinkTime;
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    final Map<String, String> finalStatus = new ConcurrentHashMap<>();
    final AtomicInteger unavailable = new AtomicInteger();
    final AtomicInteger otherFailures = new AtomicInteger();
    final AtomicInteger connectionFailures = new AtomicInteger();
    final AtomicInteger unacknowledged = new AtomicInteger();
    private volatile AtomicBoolean faultsPending = new AtomicBoolean();

    Workload(Cluster cluster, int sessions, int runsPerSession, Duration thinkTime) {
        this.cluster = cluster;
        this.sessions = sessions;
        this.runsPerSession = runsPerSession;
        this.thinkTime = thinkTime;
    }

    /** The fewest runs the workload drives. */
    int minimum() {
        return sessions * runsPerSession;
    }

    /**
     * Runs the workload: each session sends at least its share of messages, and goes on while
     * {@code faultsPending} (so that the faults always hit runs in flight). Returns when every
     * session is done or the deadline passed.
     */
    void run(Duration deadline, AtomicBoolean faultsPending) throws Exception {
        this.faultsPending = faultsPending;
        cluster.client(0).defineAgent(AGENT, "enqueue", List.of("current_time"));
        Instant end = Instant.now().plus(deadline);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                int session = s;
                all.add(threads.submit(() -> {
                    driveSession(session, end);
                    return null;
                }));
            }
            for (Future<?> each : all) {
                each.get();
            }
        }
    }

    private void driveSession(int index, Instant end) throws IOException {
        String session = retrying(end, client -> client.openSession(AGENT, "actor-" + index));
        for (int n = 0; (n < runsPerSession || faultsPending.get()) && Instant.now().isBefore(end); n++) {
            String text = "What time is it now? (session " + index + ", message " + n + ")";
            String runId = submit(session, text, end);
            if (runId == null) {
                return;
            }
            String status = awaitSettled(runId, end);
            finalStatus.put(runId, status);
            // Think time: a client pauses between messages; this paces the load, it synchronises nothing.
            LockSupport.parkNanos(thinkTime.toNanos() + ThreadLocalRandom.current().nextLong(thinkTime.toNanos() / 2));
        }
    }

    private String submit(String session, String text, Instant end) {
        while (Instant.now().isBefore(end)) {
            try {
                BerthClient.Reply reply = cluster.anyLiveClient().submit(session, text);
                if (reply.status() == 202) {
                    acknowledged.put(reply.text("id"), session);
                    return reply.text("id");
                }
                count(reply.status());
            } catch (IOException e) {
                connectionFailures.incrementAndGet();
            }
            // The input may or may not have been committed; the client does not know, and sends it again.
            unacknowledged.incrementAndGet();
            text = text + " (again)";
            pause();
        }
        return null;
    }

    private String awaitSettled(String runId, Instant end) {
        while (Instant.now().isBefore(end)) {
            try {
                BerthClient.Reply reply = cluster.anyLiveClient().run(runId, 10);
                if (reply.status() == 200) {
                    String status = reply.text("status");
                    if (!"queued".equals(status) && !"running".equals(status)) {
                        return status;
                    }
                    continue;
                }
                count(reply.status());
            } catch (IOException e) {
                connectionFailures.incrementAndGet();
            }
            pause();
        }
        return "unsettled";
    }

    private <T> T retrying(Instant end, IoCall<T> call) throws IOException {
        IOException last = null;
        while (Instant.now().isBefore(end)) {
            try {
                return call.apply(cluster.anyLiveClient());
            } catch (IOException e) {
                last = e;
                connectionFailures.incrementAndGet();
                pause();
            }
        }
        throw last == null ? new IOException("deadline passed") : last;
    }

    private void count(int status) {
        if (status == 503) {
            unavailable.incrementAndGet();
        } else {
            otherFailures.incrementAndGet();
        }
    }

    /** Back-off before a retry: a client's pause, not a synchronisation. */
    private static void pause() {
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }

    @FunctionalInterface
    interface IoCall<T> {
        T apply(BerthClient client) throws IOException;
    }
}
