package dev.berth.deploy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.error.UnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.junit.jupiter.api.Test;

/** A served stream that meets a fault ends cleanly instead of failing the started SSE response. */
class SseStreamsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SseStreams streams = new SseStreams(registry);

    @Test
    void aStreamThatFailsAfterItStartedEndsAndIsNoLongerCounted() {
        // Given a stream whose database goes away after two events
        Multi<String> events = Multi.createBy().concatenating().streams(Multi.createFrom().items("1", "2"),
                Multi.createFrom().failure(new UnavailableException("the database is not reachable", null)));

        // When a client follows it
        AssertSubscriber<String> client = streams.served(events, failure -> "ended: " + failure.getMessage())
                .subscribe().withSubscriber(AssertSubscriber.create(10));

        // Then the client gets both events, a last one saying why, and the end of the stream (it
        // resumes with Last-Event-ID), not an error
        client.assertCompleted().assertItems("1", "2", "ended: the database is not reachable");
        assertThat(registry.get("berth.sse.streams.active").gauge().value()).isZero();
    }

    @Test
    void anOpenStreamIsCountedUntilTheClientLeaves() {
        AssertSubscriber<Long> client = streams.served(Multi.createFrom().<Long>nothing(), failure -> -1L).subscribe()
                .withSubscriber(AssertSubscriber.create(1));
        assertThat(registry.get("berth.sse.streams.active").gauge().value()).isEqualTo(1);
        client.cancel();
        assertThat(registry.get("berth.sse.streams.active").gauge().value()).isZero();
    }
}
