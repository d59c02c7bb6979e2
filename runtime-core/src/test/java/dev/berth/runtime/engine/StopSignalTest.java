package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StopSignalTest {
    private final StopSignal signal = new StopSignal();
    private final AtomicBoolean workCancelled = new AtomicBoolean();

    /** Work that never ends by itself, and says when it is cancelled. */
    private Uni<String> endlessWork() {
        return Uni.createFrom().<String>nothing().onCancellation().invoke(() -> workCancelled.set(true));
    }

    @Test
    void theAnswerWinsWhenItComesFirst() {
        assertThat(signal.race(Uni.createFrom().item("answer")).await().indefinitely()).isEqualTo("answer");
        signal.fire(); // nothing listens any more
    }

    @Test
    void aFailureOfTheWorkIsPassedOn() {
        UniAssertSubscriber<String> raced = signal.race(Uni.createFrom().<String>failure(new IllegalStateException("no")))
                .subscribe().withSubscriber(UniAssertSubscriber.create());

        raced.assertFailedWith(IllegalStateException.class, "no");
    }

    @Test
    void theSignalStopsTheWorkAndGivesNull() {
        UniAssertSubscriber<String> raced = signal.race(endlessWork()).subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        raced.assertNotTerminated();

        signal.fire();

        raced.assertCompleted().assertItem(null);
        assertThat(workCancelled).isTrue();
    }

    @Test
    void workStartedAfterTheSignalStopsAtOnce() {
        signal.fire();

        signal.race(endlessWork()).subscribe().withSubscriber(UniAssertSubscriber.create())
                .assertCompleted().assertItem(null);
        assertThat(workCancelled).isTrue();
    }

    @Test
    void cancellingTheRaceCancelsTheWork() {
        UniAssertSubscriber<String> raced = signal.race(endlessWork()).subscribe()
                .withSubscriber(UniAssertSubscriber.create());

        raced.cancel();

        assertThat(workCancelled).isTrue();
    }
}
