package dev.berth.runtime.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {

    @Test
    void permitsBeyondTheLimitWaitAndAreGrantedInArrivalOrder() {
        ConcurrencyLimit limit = new ConcurrencyLimit(1);
        CompletableFuture<Void> first = limit.acquire();
        CompletableFuture<Void> second = limit.acquire();
        CompletableFuture<Void> third = limit.acquire();

        assertThat(first).isDone();
        assertThat(second).isNotDone();

        limit.release();
        assertThat(second).isDone();
        assertThat(third).isNotDone();
        limit.release();
        assertThat(third).isDone();
        limit.release();
        assertThat(limit.inUse()).isZero();
    }

    @Test
    void aWaiterThatGaveUpIsSkippedAndItsPermitGoesToTheNext() {
        ConcurrencyLimit limit = new ConcurrencyLimit(1);
        limit.acquire();
        CompletableFuture<Void> gaveUp = limit.acquire();
        CompletableFuture<Void> patient = limit.acquire();

        assertThat(gaveUp.cancel(false)).isTrue();
        limit.release();

        assertThat(patient).isDone();
        assertThat(limit.inUse()).isEqualTo(1);
        limit.release();
        assertThat(limit.inUse()).isZero();
    }
}
