package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import org.junit.jupiter.api.Test;

class StopSignalTest {
    private final StopSignal signal = new StopSignal();

    @Test
    void aWaitingCallIsToldWhenTheSignalFires() {
        UniAssertSubscriber<String> waiting = signal.<String>awaited().subscribe().withSubscriber(UniAssertSubscriber.create());
        waiting.assertNotTerminated();

        signal.fire();

        waiting.assertCompleted().assertItem(null);
    }

    @Test
    void aCallThatStartsAfterTheSignalStopsAtOnce() {
        signal.fire();

        signal.<String>awaited().subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();
    }

    @Test
    void theAnswerWinsTheRaceAndTheWaitIsDroppedQuietly() {
        Uni<String> raced = Uni.combine().any().of(Uni.createFrom().item("answer"), signal.<String>awaited());

        assertThat(raced.await().indefinitely()).isEqualTo("answer");
        signal.fire(); // nothing is listening any more; nothing happens
    }
}
