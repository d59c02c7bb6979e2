package dev.berth.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.run.RunLifecycle.Guard;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunLifecycleTest {

    /**
     * The lifecycle as the issue and docs/architecture.md state it, written out independently of
     * the table: {@code from event guard -> to}, with {@code release} when the lease is given up.
     */
    private static final String EXPECTED = """
            queued CLAIM ALWAYS -> running
            queued CANCEL ALWAYS -> cancelled
            queued EXPIRE ALWAYS -> expired
            running TAKE_OVER ALWAYS -> running
            running RELEASE ALWAYS -> running release
            running STEP ALWAYS -> running
            running COMPLETE ALWAYS -> completed release
            running FAIL ALWAYS -> failed release
            running PAUSE ALWAYS -> requires_action release
            running WAIT_FOR_CHILDREN ALWAYS -> waiting release
            running CANCEL ALWAYS -> running
            running STOP_CANCELLED ALWAYS -> cancelled release
            running EXPIRE ALWAYS -> expired release
            requires_action ANSWER SOME_OPEN -> requires_action
            requires_action ANSWER NONE_OPEN -> queued
            requires_action CANCEL ALWAYS -> cancelled
            requires_action EXPIRE ALWAYS -> expired
            waiting CHILD_SETTLES SOME_OPEN -> waiting
            waiting CHILD_SETTLES NONE_OPEN -> queued
            waiting CANCEL ALWAYS -> cancelled
            waiting EXPIRE ALWAYS -> expired
            """;

    private static List<RunLifecycle.Transition> expected() {
        List<RunLifecycle.Transition> rows = new ArrayList<>();
        for (String line : EXPECTED.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            rows.add(new RunLifecycle.Transition(RunStatus.fromWire(f[0]), RunEvent.valueOf(f[1]), Guard.valueOf(f[2]),
                    RunStatus.fromWire(f[4]), f.length > 5 && f[5].equals("release")));
        }
        return rows;
    }

    @Test
    void everyLegalTransitionIsInTheTableAndLeadsWhereTheLifecycleSays() {
        // Given the lifecycle written out by hand
        // When each of its transitions is looked up in the table
        // Then the table has exactly these, no more
        assertThat(RunLifecycle.transitions()).containsExactlyInAnyOrderElementsOf(expected());
        for (RunLifecycle.Transition row : expected()) {
            assertThat(RunLifecycle.next(row.from(), row.event(), row.guard())).as(row.toString()).isEqualTo(row.to());
        }
    }

    @Test
    void everyOtherPairOfStatusAndEventIsRefused() {
        // Given every status, event and guard
        int refused = 0;
        for (RunStatus from : RunStatus.values()) {
            for (RunEvent event : RunEvent.values()) {
                for (Guard guard : Guard.values()) {
                    boolean legal = expected().stream().anyMatch(row -> row.from() == from && row.event() == event
                            && (row.guard() == Guard.ALWAYS || row.guard() == guard));
                    // When the table is asked for the move
                    // Then a move not in the lifecycle is refused with a message naming it
                    if (!legal) {
                        refused++;
                        assertThat(RunLifecycle.find(from, event, guard)).as(from + " " + event + " " + guard).isEmpty();
                        assertThatThrownBy(() -> RunLifecycle.next(from, event, guard))
                                .isInstanceOf(IllegalStateException.class)
                                .hasMessageContaining(from.wire()).hasMessageContaining(event.name());
                    }
                }
            }
        }
        assertThat(refused).isGreaterThan(250); // the loop did look at the whole grid
    }

    @Test
    void aFinishedRunTakesNoEventAtAll() {
        // Given the statuses of finished runs
        for (RunStatus done : List.of(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.EXPIRED)) {
            // When any event arrives, Then none is allowed: in particular no cancel, answer or claim
            for (RunEvent event : RunEvent.values()) {
                assertThat(RunLifecycle.allows(done, event)).as(done + " " + event).isFalse();
            }
        }
    }

    @Test
    void theStatusQuestionsAreAnsweredFromTheTable() {
        // Given the table, When the statuses are asked, Then:
        assertThat(EnumSet.allOf(RunStatus.class).stream().filter(RunStatus::terminal))
                .containsExactlyInAnyOrder(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.EXPIRED);
        assertThat(EnumSet.allOf(RunStatus.class).stream().filter(RunStatus::settled))
                .containsExactlyInAnyOrder(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.EXPIRED,
                        RunStatus.REQUIRES_ACTION);
        assertThat(RunStatus.live())
                .containsExactly(RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.REQUIRES_ACTION, RunStatus.WAITING);
        Map<RunStatus, Boolean> releases = Map.of(RunStatus.RUNNING, false, RunStatus.COMPLETED, true,
                RunStatus.FAILED, true, RunStatus.CANCELLED, true, RunStatus.REQUIRES_ACTION, true, RunStatus.WAITING, true);
        releases.forEach((status, release) -> assertThat(status.releasesLease()).as(status.wire()).isEqualTo(release));
    }

    @Test
    void aStepCannotQueueOrExpireItsRun() {
        // Given the statuses no step of the owner reaches
        for (RunStatus status : List.of(RunStatus.QUEUED, RunStatus.EXPIRED)) {
            // When a step commit is made with one, Then it is refused before it reaches a store
            assertThatThrownBy(() -> new StepCommit(List.of(), status, null, false, null, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(status.wire());
        }
        assertThat(new StepCommit(List.of(), RunStatus.WAITING, null, false, null, null, null, null).status())
                .isEqualTo(RunStatus.WAITING);
    }

    @Test
    void theOwnersStepsTakeTheirStatusFromTheTableAndNothingElseIsAStep() {
        // Given the events the owner of a running run commits
        Map<RunEvent, RunStatus> steps = Map.of(RunEvent.STEP, RunStatus.RUNNING, RunEvent.COMPLETE, RunStatus.COMPLETED,
                RunEvent.FAIL, RunStatus.FAILED, RunEvent.PAUSE, RunStatus.REQUIRES_ACTION,
                RunEvent.WAIT_FOR_CHILDREN, RunStatus.WAITING, RunEvent.STOP_CANCELLED, RunStatus.CANCELLED);
        // When a step commit is built for each, Then it carries the table's status
        steps.forEach((event, status) -> assertThat(StepCommit.after(event).build().status()).as(event.name())
                .isEqualTo(status));
        // And an event that is not the owner's step cannot be committed as one
        for (RunEvent event : RunEvent.values()) {
            if (!steps.containsKey(event)) {
                assertThatThrownBy(() -> StepCommit.after(event)).as(event.name())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a step");
            }
        }
    }

    @Test
    void cancelSourcesAreTheLiveStatuses() {
        // Given the table, When the stores ask which runs a cancel or an expiry matches, Then the live ones
        assertThat(RunLifecycle.sources(RunEvent.CANCEL)).containsExactlyInAnyOrderElementsOf(RunStatus.live());
        assertThat(RunLifecycle.sources(RunEvent.EXPIRE)).containsExactlyInAnyOrderElementsOf(RunStatus.live());
        assertThat(RunLifecycle.sources(RunEvent.ANSWER)).containsExactly(RunStatus.REQUIRES_ACTION);
    }
}
