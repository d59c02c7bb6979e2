package dev.berth.store;

import dev.berth.runtime.domain.AssistantDelta;
import dev.berth.runtime.port.ChangeFeed;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@link ChangeFeed} on one dedicated LISTEN connection per process, reconnected when it
 * drops. Waiters are kept in memory and woken by notifications; every wait is bounded, so a
 * notification lost while reconnecting only delays a waiter.
 *
 * <p>The LISTEN connection goes to {@link DatabaseRouting#listenUrl()}, never through a
 * transaction pooler (it would drop the notifications). When there is no such URL the feed polls
 * instead, every {@code berth.db.poll-interval} ({@link PolledChanges}): it wakes the waiters of
 * sessions with new events and of runs, and tells the engine to look for work. Then previews
 * (deltas) reach only streams on the process that generates them, and a cancellation reaches a
 * run's owner at its next heartbeat.
 */
@ApplicationScoped
public class PgChangeFeed implements ChangeFeed {
    private static final Logger LOG = Logger.getLogger(PgChangeFeed.class);
    /**
     * Characters of delta text per notification: a NOTIFY payload must stay under 8000 bytes,
     * and JSON escaping may make one character six bytes.
     */
    private static final int DELTA_CHARS_PER_NOTIFICATION = 1000;

    private final Vertx vertx;
    private final Pool pool;
    private final DatabaseRouting routing;
    private final Duration pollInterval;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Map<UUID, List<Waiter>> sessionWaiters = new ConcurrentHashMap<>();
    private final Map<UUID, List<Waiter>> runWaiters = new ConcurrentHashMap<>();
    private final List<Runnable> workListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<UUID>> stopListeners = new CopyOnWriteArrayList<>();
    private final Map<UUID, List<Consumer<AssistantDelta>>> deltaListeners = new ConcurrentHashMap<>();
    private PgSubscriber subscriber;
    private volatile PolledChanges polled;

    @Inject
    public PgChangeFeed(Vertx vertx, Pool pool, DatabaseRouting routing,
            @ConfigProperty(name = "berth.db.poll-interval", defaultValue = "500ms") Duration pollInterval,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.pool = pool;
        this.routing = routing;
        this.pollInterval = pollInterval;
        this.username = username;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        routing.listenUrl().ifPresentOrElse(this::listen, this::poll);
    }

    private void poll() {
        LOG.warnf("Not listening for notifications: %s=transaction and no %s, and LISTEN through a transaction"
                + " pooler loses them. Polling every %s instead: ?wait answers and streamed events come up to"
                + " that much later, answer previews reach only streams on the process that runs the model, and"
                + " a cancellation reaches the run's owner at its next heartbeat. Set %s (BERTH_DB_DIRECT_URL) to a"
                + " URL that reaches PostgreSQL directly (Azure Flexible Server: port 5432) to be notified at once.",
                DatabaseRouting.POOLER, DatabaseRouting.DIRECT_URL, pollInterval, DatabaseRouting.DIRECT_URL);
        polled = new PolledChanges(vertx, pool, pollInterval, sessionWaiters, runWaiters, workListeners);
        polled.start();
    }

    private void listen(String url) {
        PgConnectOptions options = PgConnectOptions.fromUri(url);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempt -> 500L);
        // A (re)subscription may follow a gap in which notifications were lost: every waiter looks again.
        subscriber.channel("berth_events").handler(this::onEvents).subscribeHandler(() -> {
            quietConnection();
            wakeAll(sessionWaiters);
        });
        subscriber.channel("berth_runs").handler(this::onRun).subscribeHandler(() -> wakeAll(runWaiters));
        subscriber.channel("berth_deltas").handler(this::onDelta);
        subscriber.channel("berth_work").handler(payload -> workListeners.forEach(Runnable::run))
                .subscribeHandler(() -> workListeners.forEach(Runnable::run));
        subscriber.connect().subscribe().with(
                ignored -> LOG.debug("Listening for notifications"),
                failure -> LOG.warnf("Could not listen for notifications yet (%s); polling until it can", failure.toString()));
    }

    /**
     * A connection without an exception handler prints what it meets to stderr with its whole
     * stack (Vert.x's SqlConnectionBase), and the subscriber sets none: a database restart would
     * print the server's 57P01 "terminating connection" and the reset that follows. The
     * subscriber reconnects by itself, so the failure is only worth a debug line.
     */
    private void quietConnection() {
        PgConnection connection = subscriber.actualConnection();
        if (connection != null) {
            connection.exceptionHandler(failure -> LOG.debugf("The notification connection failed: %s", failure));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
        if (polled != null) {
            polled.stop();
        }
    }

    @Override
    public Uni<Void> awaitSessionEvents(UUID sessionId, long afterSeq, Duration max) {
        return await(sessionWaiters, sessionId, afterSeq, max);
    }

    @Override
    public Uni<Void> awaitRunChange(UUID runId, Duration max) {
        return await(runWaiters, runId, -1, max);
    }

    @Override
    public void onWorkAvailable(Runnable listener) {
        workListeners.add(listener);
    }

    @Override
    public void onStopRequested(Consumer<UUID> listener) {
        stopListeners.add(listener);
    }

    @Override
    public Uni<Void> publishDelta(AssistantDelta delta) {
        if (polled != null) {
            // Nobody listens: the previews go to this process's own streams only.
            onDelta(delta);
            return Uni.createFrom().voidItem();
        }
        // In order: the pieces of a long delta go out one after the other.
        Uni<Void> chain = Uni.createFrom().voidItem();
        String text = delta.text();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + DELTA_CHARS_PER_NOTIFICATION);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            String payload = new JsonObject().put("s", delta.sessionId().toString()).put("r", delta.runId().toString())
                    .put("n", delta.step()).put("o", delta.offset() + start).put("t", text.substring(start, end))
                    .encode();
            chain = chain.chain(() -> pool.preparedQuery("select pg_notify('berth_deltas', $1)")
                    .execute(Tuple.of(payload)).replaceWithVoid());
            start = end;
        }
        return chain;
    }

    @Override
    public Multi<AssistantDelta> deltas(UUID sessionId) {
        return Multi.createFrom().emitter(emitter -> {
            Consumer<AssistantDelta> listener = emitter::emit;
            deltaListeners.computeIfAbsent(sessionId, k -> new CopyOnWriteArrayList<>()).add(listener);
            emitter.onTermination(() -> deltaListeners.computeIfPresent(sessionId, (k, list) -> {
                list.remove(listener);
                return list.isEmpty() ? null : list;
            }));
        });
    }

    private void onDelta(String payload) {
        try {
            JsonObject json = new JsonObject(payload);
            onDelta(new AssistantDelta(UUID.fromString(json.getString("s")), UUID.fromString(json.getString("r")),
                    json.getInteger("n"), json.getInteger("o"), json.getString("t")));
        } catch (RuntimeException e) {
            LOG.debugf("Ignoring a malformed delta notification: %s", e.toString());
        }
    }

    private void onDelta(AssistantDelta delta) {
        List<Consumer<AssistantDelta>> listening = deltaListeners.get(delta.sessionId());
        if (listening != null) {
            listening.forEach(listener -> listener.accept(delta));
        }
    }

    private Uni<Void> await(Map<UUID, List<Waiter>> waiters, UUID key, long afterSeq, Duration max) {
        return Uni.createFrom().<Void>emitter(emitter -> {
            Waiter waiter = new Waiter(afterSeq, () -> emitter.complete(null));
            waiters.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(waiter);
            emitter.onTermination(() -> waiters.computeIfPresent(key, (k, list) -> {
                list.remove(waiter);
                return list.isEmpty() ? null : list;
            }));
        }).ifNoItem().after(max).recoverWithItem((Void) null);
    }

    static void wakeAll(Map<UUID, List<Waiter>> waiters) {
        waiters.values().forEach(list -> list.forEach(waiter -> waiter.wake().run()));
    }

    private void onEvents(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) {
            return;
        }
        UUID session = UUID.fromString(payload.substring(0, colon));
        long seq = Long.parseLong(payload.substring(colon + 1));
        List<Waiter> waiting = sessionWaiters.get(session);
        if (waiting != null) {
            waiting.stream().filter(w -> w.afterSeq() < seq).forEach(w -> w.wake().run());
        }
    }

    /** Payload: the run's id, with {@code :stop} when its owner is asked to stop it (cancel, expiry). */
    private void onRun(String payload) {
        int colon = payload.indexOf(':');
        UUID run = UUID.fromString(colon < 0 ? payload : payload.substring(0, colon));
        List<Waiter> waiting = runWaiters.get(run);
        if (waiting != null) {
            waiting.forEach(w -> w.wake().run());
        }
        if (colon >= 0) {
            stopListeners.forEach(listener -> listener.accept(run));
        }
    }

    /** Someone waiting for events above {@code afterSeq} (or any change of a run: -1), and how to wake them. */
    record Waiter(long afterSeq, Runnable wake) {
    }
}
