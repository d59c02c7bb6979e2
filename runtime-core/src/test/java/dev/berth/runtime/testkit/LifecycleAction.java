package dev.berth.runtime.testkit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * One thing that happens to runs, as the model-based tests generate them. Indexes pick among
 * what the driver knows (sessions, runs, leases it holds), modulo their number, so that every
 * generated sequence is valid to apply and shrinks well.
 */
public sealed interface LifecycleAction {

    /** Input for one of the root sessions (each has another input policy). */
    record Submit(int session) implements LifecycleAction {
    }

    /** A worker claims what it may. */
    record Claim() implements LifecycleAction {
    }

    /** A step commit with a lease the driver holds (possibly a stale one). */
    record Commit(int lease, Outcome outcome) implements LifecycleAction {
    }

    /** A step that pauses its run for a client-side tool. */
    record Pause(int lease) implements LifecycleAction {
    }

    /** A step that starts {@code children} sub-agent runs and makes its run wait for them. */
    record StartChildren(int lease, int children) implements LifecycleAction {
    }

    /** A client answers what a run waits for (the first open wait, or a key it does not wait for). */
    record Answer(int run) implements LifecycleAction {
    }

    /** A client cancels a run (with its tree). */
    record Cancel(int run) implements LifecycleAction {
    }

    /** Every lease lapses: its owner stopped heartbeating a TTL ago. */
    record Expire() implements LifecycleAction {
    }

    /** The holder of a lease dies: it never writes with it again. */
    record Crash(int lease) implements LifecycleAction {
    }

    /** The holder of a lease drains: it gives the run up so another claims it at once. */
    record Release(int lease) implements LifecycleAction {
    }

    /** The holder of a lease renews it (and hears whether cancellation was requested). */
    record Heartbeat(int lease) implements LifecycleAction {
    }

    /** What a committed step does to its run. */
    enum Outcome { PROGRESS, COMPLETE, FAIL, CANCELLED }

    /** Sequences of actions, claims and commits the most frequent so that runs get somewhere. */
    static Arbitrary<java.util.List<LifecycleAction>> sequences(int maxSize) {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 7);
        Arbitrary<LifecycleAction> action = Arbitraries.frequencyOf(
                Tuple.of(4, index.map(i -> new Submit(i % 3))),
                Tuple.of(5, Arbitraries.just(new Claim())),
                Tuple.of(6, net.jqwik.api.Combinators.combine(index, Arbitraries.of(Outcome.class)).as(Commit::new)),
                Tuple.of(2, index.map(Pause::new)),
                Tuple.of(2, net.jqwik.api.Combinators.combine(index, Arbitraries.integers().between(1, 2)).as(StartChildren::new)),
                Tuple.of(2, index.map(Answer::new)),
                Tuple.of(2, index.map(Cancel::new)),
                Tuple.of(1, Arbitraries.just(new Expire())),
                Tuple.of(1, index.map(Crash::new)),
                Tuple.of(1, index.map(Release::new)),
                Tuple.of(1, index.map(Heartbeat::new)));
        return action.list().ofMinSize(1).ofMaxSize(maxSize);
    }
}
