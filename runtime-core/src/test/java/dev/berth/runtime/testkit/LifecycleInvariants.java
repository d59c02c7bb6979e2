package dev.berth.runtime.testkit;

import static dev.berth.runtime.run.RunStatus.QUEUED;
import static dev.berth.runtime.run.RunStatus.RUNNING;
import static dev.berth.runtime.run.RunStatus.WAITING;

import dev.berth.runtime.run.RunLifecycle;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.testkit.LifecycleBackend.CallView;
import dev.berth.runtime.testkit.LifecycleBackend.EventView;
import dev.berth.runtime.testkit.LifecycleBackend.RunView;
import dev.berth.runtime.testkit.LifecycleBackend.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rules every state of the run store keeps, and every step between two states: checked
 * after each action of a model-based test. Returns what is broken (empty when nothing is).
 */
public final class LifecycleInvariants {
    /**
     * Which status a run may be in after one action, given the one it had: the lifecycle's
     * transition table ({@link RunLifecycle}, the one the engine and services use), as the store
     * must keep it (the same status is always allowed).
     */
    static final Map<RunStatus, Set<RunStatus>> NEXT = nextFromTable();

    private static Map<RunStatus, Set<RunStatus>> nextFromTable() {
        Map<RunStatus, Set<RunStatus>> next = new EnumMap<>(RunStatus.class);
        for (RunStatus status : RunStatus.values()) {
            next.put(status, EnumSet.noneOf(RunStatus.class));
        }
        for (RunLifecycle.Transition row : RunLifecycle.transitions()) {
            if (row.to() != row.from()) {
                next.get(row.from()).add(row.to());
            }
        }
        return next;
    }

    private LifecycleInvariants() {
    }

    /** What {@code after} breaks, alone and as the successor of {@code before}. */
    public static List<String> broken(Snapshot before, Snapshot after) {
        List<String> broken = new ArrayList<>();
        state(after, broken);
        for (RunView now : after.runs().values()) {
            RunView was = before.runs().get(now.id());
            if (was == null) {
                if (now.status() != QUEUED) {
                    broken.add("run " + now.id() + " was created " + now.status());
                }
                continue;
            }
            if (was.status().terminal() && !was.equals(now)) {
                broken.add("terminal run changed: " + was + " -> " + now);
            }
            if (was.status() != now.status() && !NEXT.get(was.status()).contains(now.status())) {
                broken.add("illegal transition " + was.status() + " -> " + now.status() + " of " + now.id());
            }
            if (now.epoch() < was.epoch() || now.step() < was.step()) {
                broken.add("epoch or step went back: " + was + " -> " + now);
            }
            if (now.epoch() > was.epoch() && now.status() != RUNNING) {
                broken.add("a new epoch without a claim: " + now);
            }
        }
        before.runs().keySet().stream().filter(id -> !after.runs().containsKey(id))
                .forEach(id -> broken.add("run " + id + " disappeared"));
        before.events().forEach((session, log) -> {
            List<EventView> now = after.events().getOrDefault(session, List.of());
            if (now.size() < log.size() || !now.subList(0, log.size()).equals(log)) {
                broken.add("the log of session " + session + " was rewritten");
            }
        });
        return broken;
    }

    /**
     * Fencing: a write carrying {@code lease} succeeds only while the lease is current (its epoch
     * is the run's and the run is running); a stale one fails as fenced and changes nothing.
     */
    public static List<String> fencing(Snapshot before, Snapshot after, dev.berth.runtime.run.Lease lease,
            String outcome) {
        if (lease == null) {
            return List.of();
        }
        RunView run = before.runs().get(lease.runId());
        boolean current = run != null && run.epoch() == lease.epoch() && run.status() == RUNNING;
        if (current || "fenced".equals(outcome) && before.equals(after)) {
            return List.of();
        }
        return List.of("a write with stale lease " + lease + " on " + run + " came to " + outcome
                + (before.equals(after) ? "" : " and changed the store"));
    }

    private static void state(Snapshot s, List<String> broken) {
        // One writer per session: of a session's live runs in input order, only the first may be anything but queued.
        s.runs().values().stream().filter(r -> InMemoryDatabase.LIVE.contains(r.status()))
                .collect(java.util.stream.Collectors.groupingBy(RunView::sessionId))
                .forEach((session, live) -> {
                    List<RunView> ordered = live.stream().sorted(Comparator.comparingLong(RunView::inputSeq)).toList();
                    if (ordered.stream().skip(1).anyMatch(r -> r.status() != QUEUED)) {
                        broken.add("session " + session + " has more than one active run: " + ordered);
                    }
                });
        // A waiting parent has open calls, and each open call's child is live.
        for (RunView run : s.runs().values()) {
            if (run.status() != WAITING) {
                continue;
            }
            List<CallView> open = s.calls().stream()
                    .filter(c -> c.parentRunId().equals(run.id()) && c.status() == RUNNING).toList();
            if (open.isEmpty()) {
                broken.add("waiting run " + run.id() + " has no open call");
            }
            for (CallView call : open) {
                RunView child = s.runs().get(call.childRunId());
                if (child == null || !InMemoryDatabase.LIVE.contains(child.status())) {
                    broken.add("waiting run " + run.id() + " waits for a child that is over: " + child);
                }
            }
        }
        // A live child's parent waits for it; under a cancelled tree, a child still live has been asked to stop.
        // (A running child asked to stop may still commit a step that makes it wait for children of its own:
        // the step commit does not look at the flag; the child ends when it is claimed again.)
        for (RunView run : s.runs().values()) {
            RunView parent = run.parentRunId() == null ? null : s.runs().get(run.parentRunId());
            if (parent != null && InMemoryDatabase.LIVE.contains(run.status()) && parent.status() != WAITING
                    && !run.cancelRequested()) {
                broken.add("live run " + run.id() + " under a parent that is " + parent.status());
            }
        }
        // A settled call's child is over, with the call's status.
        for (CallView call : s.calls()) {
            RunView child = s.runs().get(call.childRunId());
            if (call.status() != RUNNING && (child == null || child.status() != call.status())) {
                broken.add("call " + call + " does not say how its child ended: " + child);
            }
        }
        // Gapless logs.
        s.events().forEach((session, log) -> {
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).seq() != i + 1) {
                    broken.add("session " + session + " has a gap at " + (i + 1));
                    return;
                }
            }
        });
        // A run's input is in its session's log, at its input sequence.
        for (RunView run : s.runs().values()) {
            List<EventView> log = s.events().getOrDefault(run.sessionId(), List.of());
            UUID owner = log.size() >= run.inputSeq() && run.inputSeq() > 0 ? log.get((int) run.inputSeq() - 1).runId() : null;
            if (!run.id().equals(owner)) {
                broken.add("run " + run.id() + " has no input at seq " + run.inputSeq());
            }
        }
    }
}
