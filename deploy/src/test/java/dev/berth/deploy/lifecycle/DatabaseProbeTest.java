package dev.berth.deploy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testsupport.FakeClock;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The readiness probe's answer: cached, shared, bounded in time; no database (OutageAtTheEdgesIT has one). */
class DatabaseProbeTest {
    private static final Duration CACHE = Duration.ofMillis(250);
    private final FakeClock clock = new FakeClock();
    private final AtomicInteger statements = new AtomicInteger();

    @Test
    void probesWithinTheCachePeriodShareOneStatementAndTheNextPeriodAsksAgain() {
        // Given a database that answers
        DatabaseProbe probe = probe(counted(() -> Uni.createFrom().item(1)), Duration.ofSeconds(1));

        // When probes ask three times within the cache period, then once after it
        DatabaseProbe.Answer first = answer(probe);
        answer(probe);
        clock.advance(CACHE.minusMillis(1));
        answer(probe);
        clock.advance(Duration.ofMillis(1));
        DatabaseProbe.Answer later = answer(probe);

        // Then the database was asked twice, and both answers say it is reachable
        assertThat(statements).hasValue(2);
        assertThat(first.reachable()).isTrue();
        assertThat(later.reachable()).isTrue();
        assertThat(later.at()).isAfter(first.at());
    }

    @Test
    void probesArrivingWhileAStatementRunsWaitForItInsteadOfStartingAnother() {
        // Given a statement that has not answered yet, and the previous answer aged
        AtomicReference<UniEmitter<? super Integer>> pending = new AtomicReference<>();
        DatabaseProbe probe = probe(counted(() -> Uni.createFrom().<Integer>emitter(pending::set)), Duration.ofSeconds(5));

        // When two probes ask before it answers
        UniAssertSubscriber<DatabaseProbe.Answer> one = probe.answer().subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<DatabaseProbe.Answer> two = probe.answer().subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        pending.get().complete(1);

        // Then one statement answered both
        assertThat(statements).hasValue(1);
        assertThat(one.awaitItem().getItem().reachable()).isTrue();
        assertThat(two.awaitItem().getItem()).isSameAs(one.getItem());
    }

    @Test
    void aFailedStatementIsAnUnreachableDatabaseWithItsReason() {
        DatabaseProbe probe = probe(() -> Uni.createFrom().failure(new IllegalStateException("Connection refused")),
                Duration.ofSeconds(1));

        DatabaseProbe.Answer answer = answer(probe);

        assertThat(answer.reachable()).isFalse();
        assertThat(answer.error()).isEqualTo("Connection refused");
    }

    @Test
    void aStatementWithoutAnswerWithinTheTimeoutIsAnUnreachableDatabase() {
        DatabaseProbe probe = probe(() -> Uni.createFrom().nothing(), Duration.ofMillis(50));

        DatabaseProbe.Answer answer = answer(probe);

        assertThat(answer.reachable()).isFalse();
        assertThat(answer.error()).isEqualTo("no answer within 50 ms");
    }

    @Test
    void aTimeoutThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> probe(() -> Uni.createFrom().item(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("berth.health.database-timeout");
    }

    private DatabaseProbe probe(Supplier<Uni<?>> statement, Duration timeout) {
        return new DatabaseProbe(statement, timeout, CACHE, clock);
    }

    private Supplier<Uni<?>> counted(Supplier<Uni<?>> statement) {
        return () -> {
            statements.incrementAndGet();
            return statement.get();
        };
    }

    private static DatabaseProbe.Answer answer(DatabaseProbe probe) {
        return probe.answer().await().atMost(Duration.ofSeconds(5));
    }
}
