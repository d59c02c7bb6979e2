package dev.berth.deploy.recovery;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.core.ConditionTimeoutException;
import org.jboss.logging.Logger;

/**
 * The faults of the recovery suite: {@code kill -9} of the process that owns the most running
 * runs, several times (each victim restarted under the same name, as a pod would be), and
 * one crash of PostgreSQL in the middle (an immediate stop, then a start that runs crash
 * recovery: {@link dev.berth.testsupport.PostgresDatabase#crashAndRestart()}).
 *
 * <p>Every wait is for something observable (a process back, a run owned by a live process,
 * a lease taken over), with a deadline generous enough for a loaded CI machine and a message
 * that says what was awaited and what the database showed when the wait began.
 */
final class Chaos {
    private static final Logger LOG = Logger.getLogger(Chaos.class);
    /** A JVM restart on a small CI machine shared with other builds can take minutes. */
    private static final Duration PROCESS_BACK = Duration.ofMinutes(5);
    /** How often a victim is started before its restart counts as failed. */
    private static final int RESTART_ATTEMPTS = 3;
    /** Until a live process owns a running run: the workload keeps sending, so this comes within seconds. */
    private static final Duration BUSY_OWNER = Duration.ofMinutes(3);
    /** Until a killed owner's runs are taken over: its leases (3 s) run out, then a survivor's poll claims them. */
    private static final Duration TAKEN_OVER = Duration.ofMinutes(3);
    /**
     * A thread of its own per restart: on a 2-core machine the common pool has one worker, which
     * a blocking task (the workload) can hold for minutes, and a restart queued behind it never starts.
     */
    private static final ExecutorService RESTARTER = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("restart-", 0).daemon().factory());

    /** One kill: when (database clock), whom, and the runs it owned at that moment. */
    record Kill(String victim, Instant at, List<UUID> ownedRuns) {
    }

    private final Cluster cluster;
    final List<Kill> kills = new ArrayList<>();
    final AtomicBoolean databaseRestarted = new AtomicBoolean();
    private final List<CompletableFuture<?>> restarts = new ArrayList<>();
    Duration databaseDowntime = Duration.ZERO;

    Chaos(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Kills {@code count} times, each kill at least {@code spacing} after the previous one so
     * that each takeover is measured on its own, and restarts PostgreSQL once the takeover of
     * the kill numbered {@code restartAfter} is done (a crash: see the class comment). Victims
     * are restarted in the background (see {@link #awaitRestarts()}); a kill first waits until
     * the previous victim is back, so that two processes are never down at once.
     */
    void run(int count, int restartAfter, Duration spacing, AtomicBoolean workloadDone) throws Exception {
        for (int i = 0; i < count && !workloadDone.get(); i++) {
            awaitRestarts();
            Kill kill = killBusiestOwner(workloadDone);
            if (kill == null) {
                break;
            }
            kills.add(kill);
            int index = cluster.indexOf(kill.victim());
            restarts.add(CompletableFuture.runAsync(() -> restartUntilUp(index), RESTARTER));
            if (i + 1 == restartAfter) {
                awaitTakenOver(kill);
                crashDatabase();
            }
            // Pacing between faults, not a synchronisation.
            LockSupport.parkNanos(spacing.toNanos());
        }
    }

    /**
     * Restarts a victim as Kubernetes restarts a crashed pod: a start that fails is tried again.
     * A start can fail for a reason the test causes on purpose: the database crashing under its
     * migration check (seen in CI: Flyway's connection broke and the process exited while starting).
     */
    private void restartUntilUp(int index) {
        for (int attempt = 1; ; attempt++) {
            try {
                cluster.restart(index);
                return;
            } catch (IllegalStateException exitedWhileStarting) {
                if (attempt == RESTART_ATTEMPTS) {
                    throw exitedWhileStarting;
                }
                LOG.infof("p%d exited while starting (%s); starting it again", index, exitedWhileStarting.getMessage());
            }
        }
    }

    /** Until every killed process is back, each within {@link #PROCESS_BACK}. */
    void awaitRestarts() {
        for (CompletableFuture<?> restart : restarts) {
            try {
                restart.orTimeout(PROCESS_BACK.toMinutes(), TimeUnit.MINUTES).join();
            } catch (CompletionException e) {
                throw new AssertionError("a killed process did not come back within " + PROCESS_BACK, e.getCause());
            }
        }
    }

    /** Until every run the victim owned is owned by someone else or finished. */
    private void awaitTakenOver(Kill kill) {
        awaitObserved("the runs of killed " + kill.victim() + " taken over", TAKEN_OVER, () -> {
            try (Connection sql = cluster.sql(); var statement = sql.prepareStatement(
                    // (A lease of the dead victim not yet run out is not a takeover: such runs count too.)
                    "select count(*) from runs where id = any(?) and status in ('queued', 'running')"
                            + " and (lease_owner is null or lease_owner = ?)")) {
                statement.setArray(1, sql.createArrayOf("uuid", kill.ownedRuns().toArray()));
                statement.setString(2, kill.victim());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1) == 0;
                }
            }
        });
    }

    private Kill killBusiestOwner(AtomicBoolean workloadDone) throws SQLException {
        String[] victim = new String[1];
        awaitObserved("a live process owning running runs, with another one alive", BUSY_OWNER,
                () -> workloadDone.get() || (victim[0] = busiestOwner()) != null && othersAlive(victim[0]));
        if (victim[0] == null) {
            return null;
        }
        try (Connection sql = cluster.sql()) {
            List<UUID> owned = ownedRuns(sql, victim[0]);
            Instant at = now(sql);
            cluster.process(cluster.indexOf(victim[0])).kill();
            LOG.infof("kill -9 %s, which owned %d running runs", victim[0], owned.size());
            return new Kill(victim[0], at, owned);
        }
    }

    private void crashDatabase() {
        Instant before = Instant.now();
        cluster.database().crashAndRestart();
        databaseDowntime = Duration.between(before, Instant.now());
        databaseRestarted.set(true);
        LOG.infof("PostgreSQL crashed (immediate stop) and started again: down for %d ms", databaseDowntime.toMillis());
    }

    /** Polls {@code condition} until {@code atMost}; a timeout names what was awaited and what the database showed. */
    private void awaitObserved(String what, Duration atMost, Callable<Boolean> condition) {
        try {
            await(what).atMost(atMost).pollInterval(Duration.ofMillis(100)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited " + atMost + " for " + what + "; runs now: " + runsByOwner(), e);
        }
    }

    /** For a timeout's message: queued and running runs by owner and lease state, and which processes are alive. */
    private String runsByOwner() {
        StringBuilder out = new StringBuilder();
        try (Connection sql = cluster.sql(); ResultSet rows = sql.createStatement().executeQuery("""
                select status || '/' || coalesce(lease_owner, '-') || '/'
                       || case when lease_expires_at > now() then 'held' else 'lapsed' end || '=' || count(*)
                  from runs where status in ('queued', 'running') group by 1 order by 1""")) {
            while (rows.next()) {
                out.append(rows.getString(1)).append(' ');
            }
        } catch (SQLException e) {
            out.append("(unreadable: ").append(e.getMessage()).append(") ");
        }
        for (int i = 0; i < cluster.size(); i++) {
            out.append('p').append(i).append(cluster.process(i).alive() ? " alive " : " down ");
        }
        return out.toString().trim();
    }

    /** Whether a process other than {@code victim} is alive to take its runs over. */
    private boolean othersAlive(String victim) {
        for (int i = 0; i < cluster.size(); i++) {
            if (i != cluster.indexOf(victim) && cluster.process(i).alive()) {
                return true;
            }
        }
        return false;
    }

    /** The live process owning the most running runs under a current lease, or null. */
    private String busiestOwner() throws SQLException {
        try (Connection sql = cluster.sql();
                ResultSet rows = sql.createStatement().executeQuery("""
                        select lease_owner, count(*) from runs
                         where status = 'running' and lease_owner is not null and lease_expires_at > now()
                         group by lease_owner order by count(*) desc""")) {
            while (rows.next()) {
                String owner = rows.getString(1);
                if (cluster.process(cluster.indexOf(owner)).alive()) {
                    return owner;
                }
            }
            return null;
        }
    }

    private static List<UUID> ownedRuns(Connection sql, String owner) throws SQLException {
        List<UUID> owned = new ArrayList<>();
        try (var statement = sql.prepareStatement(
                "select id from runs where status = 'running' and lease_owner = ?")) {
            statement.setString(1, owner);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    owned.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return owned;
    }

    private static Instant now(Connection sql) throws SQLException {
        try (ResultSet rows = sql.createStatement().executeQuery("select clock_timestamp()")) {
            rows.next();
            Timestamp at = rows.getTimestamp(1);
            return at.toInstant();
        }
    }
}
