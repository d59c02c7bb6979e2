package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.testkit.InMemoryLifecycleBackend;
import dev.berth.runtime.testkit.LifecycleAction;
import dev.berth.runtime.testkit.LifecycleBackend.Snapshot;
import dev.berth.runtime.testkit.LifecycleDriver;
import dev.berth.runtime.testkit.LifecycleInvariants;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The PostgreSQL store and runtime-core's in-memory store agree on the run lifecycle: the same
 * random sequences of submit, claim, commit, pause, answer, cancel, start children, lease expiry,
 * crash and release, applied to both, give the same outcome at every action (ok, fenced, which
 * conflict) and the same state after it (every run's status, step, epoch, output and error; every
 * session's events by sequence, type and run; every sub-agent call), and PostgreSQL keeps the
 * lifecycle's invariants. 200 tries by default; more with {@code -Djqwik.tries.default=N}.
 */
class RunLifecycleAgreementTest {
    private static PgLifecycleBackend postgres;

    @BeforeContainer
    static void migrate() {
        postgres = new PgLifecycleBackend();
    }

    @AfterContainer
    static void drop() {
        postgres.close();
    }

    @Provide
    Arbitrary<List<LifecycleAction>> sequences() {
        return LifecycleAction.sequences(30);
    }

    @Property
    void bothStoresAgreeOnEverySequence(@ForAll("sequences") List<LifecycleAction> actions) {
        // Given both stores, empty, with the same three sessions
        postgres.reset();
        InMemoryLifecycleBackend memory = new InMemoryLifecycleBackend();
        try {
            LifecycleDriver onPostgres = new LifecycleDriver(postgres);
            LifecycleDriver inMemory = new LifecycleDriver(memory);
            Snapshot before = postgres.snapshot();
            List<String> trace = new ArrayList<>();
            for (LifecycleAction action : actions) {
                // When the same thing happens to both
                var lease = onPostgres.leaseOf(action);
                String expected = inMemory.apply(action);
                String actual = onPostgres.apply(action);
                trace.add(action + " -> " + actual);

                // Then PostgreSQL says and holds what the in-memory model says and holds, and keeps every rule
                assertThat(actual).as("outcome after %s", trace).isEqualTo(expected);
                Snapshot after = postgres.snapshot();
                assertThat(after).as("state after %s", trace).isEqualTo(memory.snapshot());
                assertThat(LifecycleInvariants.broken(before, after)).as("after %s", trace).isEmpty();
                assertThat(LifecycleInvariants.fencing(before, after, lease, actual)).as("after %s", trace).isEmpty();
                before = after;
            }
            // and both bring every run to the same end
            assertThat(onPostgres.settleAll(100)).as("runs stuck after %s", trace).isEmpty();
            inMemory.settleAll(100);
            assertThat(postgres.snapshot()).as("settled after %s", trace).isEqualTo(memory.snapshot());
        } finally {
            memory.close();
        }
    }
}
