package dev.berth.deploy;

import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Isolates the data of each Quarkus test class: the application (and so its database and fake
 * model) is shared by every class of a test profile, so before each class nothing of an earlier
 * class may still be working, and the fake model forgets its script and recorded requests. A run
 * or an extraction job left going by an earlier class would otherwise call the model, take the
 * replies the next class scripts, and show up in what the next class counts.
 *
 * <p>Timers an earlier class set go off now rather than during a later class: sessions and
 * memories of earlier classes due to expire within the next hour (a short time to live, as the
 * fuzz test's generated bodies give) are made due at once and left to the sweeper, and the class
 * starts once they are swept. Otherwise the sweeper would change a row in the middle of a later
 * class's "nothing written" check.
 *
 * <p>Live runs get a short grace to finish on their own, then are cancelled (queued and waiting
 * ones at once, running ones by their owner, told through {@code berth_runs}); live extraction
 * jobs are marked failed. A class still finding live work after that fails loudly rather than
 * sharing it. Registered through {@code META-INF/services}; runs once per test class, costing
 * one query when nothing is live.
 */
public class ClassIsolation implements QuarkusTestBeforeClassCallback {
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration CANCELLED_WITHIN = Duration.ofSeconds(15);
    private static final String LIVE_RUNS = "select count(*) from runs where status in ('queued', 'running', 'waiting')";
    private static final String LIVE_JOBS = "select count(*) from memory_jobs where status in ('queued', 'running')";
    private static final String SOON = "expires_at > now() and expires_at < now() + interval '1 hour'";
    private static final String DUE = "select (select count(*) from sessions where status = 'active' and expires_at <= now())"
            + " + (select count(*) from memories where expires_at <= now())";
    private static final Duration SWEPT_WITHIN = Duration.ofSeconds(30);

    @Override
    public void beforeClass(Class<?> testClass) {
        if (BerthTestResource.database() == null || BerthTestResource.fake() == null) {
            return;
        }
        try {
            sweepTimersNow();
            quiesce();
        } catch (SQLException e) {
            throw new IllegalStateException("could not isolate " + testClass.getName() + " from earlier tests", e);
        }
        BerthTestResource.fake().reset();
    }

    /** Makes earlier classes' near expiries due now and waits until the sweeper has handled them. */
    static void sweepTimersNow() throws SQLException {
        try (Connection sql = BerthTestResource.database().connect(); var statement = sql.createStatement()) {
            statement.execute("update sessions set expires_at = now() where status = 'active' and " + SOON);
            statement.execute("update memories set expires_at = now() where " + SOON);
        }
        try {
            await().atMost(SWEPT_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (Connection sql = BerthTestResource.database().connect()) {
                    return count(sql, DUE) == 0;
                }
            });
        } catch (ConditionTimeoutException notSwept) {
            throw new IllegalStateException("sessions or memories of an earlier test class were not swept within "
                    + SWEPT_WITHIN.toSeconds() + " s of falling due");
        }
    }

    /** Waits for, then stops, whatever earlier tests left working. */
    static void quiesce() throws SQLException {
        if (awaitQuiet(GRACE)) {
            return;
        }
        try (Connection sql = BerthTestResource.database().connect(); var statement = sql.createStatement()) {
            // The product's own cancellation (R__40): parked runs end at once with results for their
            // open calls, running ones are told to stop at their next step boundary.
            statement.execute("select count(*) from runs r, lateral berth_cancel_run(r.id, r.tenant_id)"
                    + " where r.status in ('queued', 'running', 'waiting')");
            statement.execute("update memory_jobs set status = 'failed', last_error = 'stopped between test classes'"
                    + " where status in ('queued', 'running')");
        }
        if (!awaitQuiet(CANCELLED_WITHIN)) {
            throw new IllegalStateException("runs or extraction jobs of an earlier test class are still live after "
                    + CANCELLED_WITHIN.toSeconds() + " s");
        }
    }

    private static boolean awaitQuiet(Duration within) {
        try {
            await().atMost(within).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(ClassIsolation::quiet);
            return true;
        } catch (ConditionTimeoutException stillLive) {
            return false;
        }
    }

    private static boolean quiet() throws SQLException {
        try (Connection sql = BerthTestResource.database().connect()) {
            return count(sql, LIVE_RUNS) == 0 && count(sql, LIVE_JOBS) == 0;
        }
    }

    private static long count(Connection sql, String query) throws SQLException {
        try (var rows = sql.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
