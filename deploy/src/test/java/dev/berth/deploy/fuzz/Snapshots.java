package dev.berth.deploy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.deploy.BerthTestResource;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/** Database snapshots of the application under test, taken when nothing is settling any more. */
public final class Snapshots {
    private Snapshots() {
    }

    /**
     * A snapshot (of one tenant's rows and the tables in {@code whole}, or all rows when {@code tenant} is null) once two taken in
     * a row agree: whatever the fixture set going (runs, jobs) has settled.
     */
    public static DatabaseSnapshot atRest(UUID tenant, Set<String> whole) {
        AtomicReference<DatabaseSnapshot> last = new AtomicReference<>();
        AtomicReference<DatabaseSnapshot> settled = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            DatabaseSnapshot now = take(tenant, whole);
            if (now.equals(last.getAndSet(now))) {
                settled.set(now);
                return true;
            }
            return false;
        });
        return settled.get();
    }

    /** What differs from {@code before}, table by table, giving anything still settling a few seconds. */
    public static List<String> changesSince(DatabaseSnapshot before, UUID tenant, Set<String> whole) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> take(tenant, whole).equals(before));
        } catch (ConditionTimeoutException changed) {
            // Reported table by table.
        }
        return before.differences(take(tenant, whole));
    }

    /**
     * Runs {@code request} between two snapshots of the whole database (every table of the
     * schema, found at run time, by row count and content hash) and fails naming each table
     * it changed: the check behind every "a refused request writes nothing" claim.
     */
    public static <T> T expectNothingWritten(Callable<T> request) throws Exception {
        DatabaseSnapshot before = atRest(null, Set.of());
        T result = request.call();
        assertThat(changesSince(before, null, Set.of())).as("tables written by a request that should write nothing")
                .isEmpty();
        return result;
    }

    public static DatabaseSnapshot take(UUID tenant, Set<String> whole) throws Exception {
        try (Connection connection = BerthTestResource.database().connect()) {
            return DatabaseSnapshot.take(connection, tenant, whole);
        }
    }
}
