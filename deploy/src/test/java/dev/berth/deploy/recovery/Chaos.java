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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * The faults of the recovery suite: {@code kill -9} of the process that owns the most running
 * runs, several times (each victim restarted under the same name, as a pod would be), and
 * one restart of PostgreSQL in the middle.
 */
final class Chaos {
    private static final Logger LOG = Logger.getLogger(Chaos.class);

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
     * the kill numbered {@code restartAfter} is done. Victims are restarted in the background (see {@link #awaitRestarts()}).
     */
    void run(int count, int restartAfter, Duration spacing, AtomicBoolean workloadDone) throws Exception {
        for (int i = 0; i < count && !workloadDone.get(); i++) {
            Kill kill = killBusiestOwner(workloadDone);
            if (kill == null) {
                break;
            }
            kills.add(kill);
            int index = cluster.indexOf(kill.victim());
            restarts.add(CompletableFuture.runAsync(() -> cluster.restart(index)));
            if (i + 1 == restartAfter) {
                awaitTakenOver(kill);
                restartDatabase();
            }
            // Pacing between faults, not a synchronisation.
            LockSupport.parkNanos(spacing.toNanos());
        }
    }

    /** Until every killed process is back. */
    void awaitRestarts() {
        restarts.forEach(CompletableFuture::join);
    }

    /** Until every run the victim owned is owned by someone else or finished. */
    private void awaitTakenOver(Kill kill) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (Connection sql = cluster.sql(); var statement = sql.prepareStatement(
                    "select count(*) from runs where id = any(?) and status = 'running' and lease_owner is null"
                            + " or id = any(?) and status = 'running' and lease_owner = ? and lease_expires_at < now()")) {
                java.sql.Array ids = sql.createArrayOf("uuid", kill.ownedRuns().toArray());
                statement.setArray(1, ids);
                statement.setArray(2, ids);
                statement.setString(3, kill.victim());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1) == 0;
                }
            }
        });
    }

    private Kill killBusiestOwner(AtomicBoolean workloadDone) throws SQLException {
        String[] victim = new String[1];
        // A victim may have to wait for an earlier one to be back: starting a JVM on a busy CI machine is slow.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> workloadDone.get() || (victim[0] = busiestOwner()) != null && othersAlive(victim[0]));
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

    private void restartDatabase() {
        Instant before = Instant.now();
        cluster.database().restart();
        databaseDowntime = Duration.between(before, Instant.now());
        databaseRestarted.set(true);
        LOG.infof("PostgreSQL restarted (down for %d ms)", databaseDowntime.toMillis());
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
