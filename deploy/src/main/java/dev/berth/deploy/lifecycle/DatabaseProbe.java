package dev.berth.deploy.lifecycle;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Whether the database answers through the reactive pool the application itself uses: one
 * {@code select 1} on a connection of that pool, given up after {@code berth.health.database-timeout}.
 * The answer is kept for {@code berth.health.database-cache} and shared by the probes that ask
 * meanwhile, so frequent probes cost the database one statement per period, not one each.
 *
 * <p>The statement runs on a connection acquired explicitly ({@code withConnection}), not on the
 * pool itself: a statement on the pool that cannot get a connection leaves a stale timer behind
 * (vertx-sql-client#1706, see {@code StalePoolTimers}), and a probe during an outage always fails
 * to get one. A change of the answer is logged once, without a stack: the outage is expected.
 * Thread-safe.
 */
@ApplicationScoped
public class DatabaseProbe {
    private static final Logger LOG = Logger.getLogger(DatabaseProbe.class);

    /** One answer: reachable or not, with the reason when not. */
    public record Answer(boolean reachable, String error, Instant at) {
    }

    private final Supplier<Uni<?>> selectOne;
    private final Duration timeout;
    private final Duration cacheFor;
    private final Clock clock;
    private final Uni<Answer> cached;
    private volatile Answer last;
    private volatile boolean checking;

    @Inject
    public DatabaseProbe(Pool pool,
            @ConfigProperty(name = "berth.health.database-timeout", defaultValue = "1s") Duration timeout,
            @ConfigProperty(name = "berth.health.database-cache", defaultValue = "250ms") Duration cacheFor) {
        this(() -> pool.withConnection(connection -> connection.query("select 1").execute()), timeout, cacheFor,
                Clock.systemUTC());
    }

    /** With the statement that asks the database given (tests give one they control). */
    DatabaseProbe(Supplier<Uni<?>> selectOne, Duration timeout, Duration cacheFor, Clock clock) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("berth.health.database-timeout must be positive: " + timeout);
        }
        if (cacheFor.isNegative()) {
            throw new IllegalArgumentException("berth.health.database-cache must not be negative: " + cacheFor);
        }
        this.selectOne = selectOne;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
        this.clock = clock;
        // Probes asking while a check runs wait for it; the first to ask after the answer aged runs the next.
        this.cached = Uni.createFrom().deferred(() -> {
            checking = true;
            return check();
        }).memoize().until(this::stale);
    }

    /** The database's answer, at most {@code berth.health.database-cache} old. */
    public Uni<Answer> answer() {
        return cached;
    }

    /** Whether the next probe starts a check: none is running, and the last answer has aged (or there is none). */
    private boolean stale() {
        Answer answer = last;
        return !checking && (answer == null || !clock.instant().isBefore(answer.at().plus(cacheFor)));
    }

    private Uni<Answer> check() {
        return Uni.createFrom().deferred(selectOne)
                .ifNoItem().after(timeout).fail()
                .map(ignored -> new Answer(true, null, clock.instant()))
                .onFailure().recoverWithItem(failure -> new Answer(false, describe(failure), clock.instant()))
                .invoke(this::record);
    }

    private void record(Answer answer) {
        Answer previous = last;
        last = answer;
        checking = false;
        if (previous == null || previous.reachable() != answer.reachable()) {
            if (answer.reachable()) {
                LOG.info("The database answers: readiness is up");
            } else {
                LOG.warnf("The database does not answer (%s): readiness is down until it does", answer.error());
            }
        }
    }

    private String describe(Throwable failure) {
        if (failure instanceof io.smallrye.mutiny.TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
