package dev.berth.runtime.engine;

import dev.berth.runtime.domain.AssistantDelta;
import dev.berth.runtime.port.ChangeFeed;
import dev.berth.runtime.run.Run;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Gathers the text deltas of one model call and publishes them at most once an interval, in
 * order. Each publication is a notification to every process, so a burst of tokens costs one,
 * and an answer that comes whole within the first interval costs none: its committed message
 * follows at once. Deltas are best effort; a failed publication is dropped, never retried.
 *
 * <p>Threading: {@link #accept} is called by one stream at a time, in order.
 */
final class DeltaPublisher {
    private static final Logger LOG = Logger.getLogger(DeltaPublisher.class);

    private final ChangeFeed feed;
    private final Run run;
    private final int step;
    private final Duration interval;
    private final Clock clock;
    private final StringBuilder gathered = new StringBuilder();
    private Instant lastFlush;
    private int published;
    private CompletionStage<Void> tail = CompletableFuture.completedFuture(null);

    DeltaPublisher(ChangeFeed feed, Run run, int step, Duration interval, Clock clock) {
        this.feed = feed;
        this.run = run;
        this.step = step;
        this.interval = interval;
        this.clock = clock;
        this.lastFlush = clock.instant();
    }

    void accept(String text) {
        gathered.append(text);
        Instant now = clock.instant();
        if (Duration.between(lastFlush, now).compareTo(interval) >= 0) {
            flush(now);
        }
    }

    private void flush(Instant now) {
        if (gathered.isEmpty()) {
            return;
        }
        AssistantDelta delta = new AssistantDelta(run.sessionId(), run.id(), step, published, gathered.toString());
        published += gathered.length();
        gathered.setLength(0);
        lastFlush = now;
        // One after the other, so that deltas arrive in the order of their offsets.
        tail = tail.thenCompose(ignored -> feed.publishDelta(delta).subscribeAsCompletionStage()
                .exceptionally(failure -> {
                    LOG.debugf("A delta of run %s was not published: %s", run.id(), failure.toString());
                    return null;
                }));
    }
}
