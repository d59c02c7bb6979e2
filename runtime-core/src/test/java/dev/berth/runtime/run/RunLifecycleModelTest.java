package dev.berth.runtime.run;

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
import net.jqwik.api.statistics.Statistics;

/**
 * The run lifecycle as the in-memory store keeps it, model-based: random sequences of submit,
 * claim, commit, pause, answer, cancel, start children, lease expiry, crash and release never
 * reach an illegal state or make an illegal step ({@link LifecycleInvariants}), and leave no run
 * that healthy workers and clients could not bring to its end ({@link LifecycleDriver#settleAll}). The same sequences
 * run against PostgreSQL in session-store's {@code RunLifecycleAgreementTest}, which also checks
 * that both stores end every step in the same state.
 */
class RunLifecycleModelTest {

    @Provide
    Arbitrary<List<LifecycleAction>> sequences() {
        return LifecycleAction.sequences(40);
    }

    @Property
    void noSequenceReachesAnIllegalState(@ForAll("sequences") List<LifecycleAction> actions) {
        // Given a store with three sessions (enqueue, reject, interrupt)
        InMemoryLifecycleBackend backend = new InMemoryLifecycleBackend();
        try {
            LifecycleDriver driver = new LifecycleDriver(backend);
            Snapshot before = backend.snapshot();
            List<String> trace = new ArrayList<>();
            for (LifecycleAction action : actions) {
                // When one more thing happens
                var lease = driver.leaseOf(action);
                String outcome = driver.apply(action);
                trace.add(action + " -> " + outcome);
                Statistics.label("outcomes").collect(action.getClass().getSimpleName() + " " + outcome.replaceAll(":\\d+$", ""));
                Snapshot after = backend.snapshot();

                // Then every rule still holds
                assertThat(LifecycleInvariants.broken(before, after)).as("after %s", trace).isEmpty();
                assertThat(LifecycleInvariants.fencing(before, after, lease, outcome)).as("after %s", trace).isEmpty();
                before = after;
            }
            // and healthy workers and clients can still bring every run to its end
            assertThat(driver.settleAll(100)).as("runs stuck after %s", trace).isEmpty();
            Snapshot settled = backend.snapshot();
            assertThat(LifecycleInvariants.broken(settled, settled)).as("settled after %s", trace).isEmpty();
            before.runs().values().forEach(run -> Statistics.label("statuses at the end").collect(run.status()));
        } finally {
            backend.close();
        }
    }
}
