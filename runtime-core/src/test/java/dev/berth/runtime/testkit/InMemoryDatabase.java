package dev.berth.runtime.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.team.SubagentCall;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.testsupport.FakeClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The state behind the in-memory ports ({@link InMemoryRunStore}, {@link InMemoryEventLog},
 * {@link InMemoryTeamStore}), kept as strictly as PostgreSQL keeps it: every port method is one
 * {@link #transaction} under one lock, checks everything before it changes anything (so a failed
 * call changes nothing, like a rolled-back statement), and hands its notifications to the
 * {@link InMemoryChangeFeed} only after it is over, as {@code pg_notify} is delivered on commit.
 * Time is the {@link FakeClock}'s: leases and sessions expire when a test moves it.
 *
 * <p>The rules shared by several operations (live statuses, the hand-over of a settled child to
 * its parent, the wake-up of a waiting parent, cancellation of a tree) are written once, here.
 */
public final class InMemoryDatabase {
    /** The statuses of a run that is not over, from the lifecycle table (SQL: berth_live_statuses). */
    public static final Set<RunStatus> LIVE = EnumSet.copyOf(RunStatus.live());
    /** Live runs that hold no lease and are cancelled at once (a running one is asked to stop). */
    static final Set<RunStatus> IDLE = EnumSet.of(RunStatus.QUEUED, RunStatus.REQUIRES_ACTION, RunStatus.WAITING);

    final FakeClock clock;
    final InMemoryChangeFeed feed;
    final Map<UUID, SessionRow> sessions = new LinkedHashMap<>();
    /** In creation order, which is the claim order ({@code order by created_at}). */
    final Map<UUID, RunRow> runs = new LinkedHashMap<>();
    final Map<UUID, List<Event>> events = new HashMap<>();
    final Map<UUID, List<PendingAction>> waits = new HashMap<>();
    final List<CallRow> calls = new ArrayList<>();
    final List<ToolStart> toolStarts = new ArrayList<>();
    private final List<Runnable> outbox = new ArrayList<>();
    private final DatabaseFaults faults = new DatabaseFaults();

    public InMemoryDatabase(FakeClock clock) {
        this.clock = clock;
        this.feed = new InMemoryChangeFeed();
    }

    public FakeClock clock() {
        return clock;
    }

    public InMemoryChangeFeed feed() {
        return feed;
    }

    /** The outage a test gives the ports' statements (none unless it asks). */
    public DatabaseFaults faults() {
        return faults;
    }

    /** One statement of a port: a {@link #transaction} under the {@link #faults()}. */
    <T> T statement(Supplier<T> work) {
        return faults.run(() -> transaction(work));
    }

    /** A session row (what SessionStore.create would insert); returns its id. */
    public UUID openSession(TenantId tenant, String agentName, int agentVersion, InputPolicy policy) {
        return openSession(UUID.randomUUID(), tenant, agentName, agentVersion, policy);
    }

    /** A session row with the given id. */
    public UUID openSession(UUID id, TenantId tenant, String agentName, int agentVersion, InputPolicy policy) {
        return transaction(() -> {
            SessionRow session = new SessionRow(id, tenant, agentName, agentVersion, policy);
            sessions.put(session.id, session);
            events.put(session.id, new ArrayList<>());
            return session.id;
        });
    }

    /** Pins team members' versions on a session, as the session's creation does. */
    public void pin(UUID sessionId, Map<String, Integer> team) {
        transaction(() -> sessions.get(sessionId).team = new LinkedHashMap<>(team));
    }

    public void expireSessionAt(UUID sessionId, Instant at) {
        transaction(() -> sessions.get(sessionId).expiresAt = at);
    }

    /** The session's log, oldest first. */
    public List<Event> events(UUID sessionId) {
        return transaction(() -> List.copyOf(events.getOrDefault(sessionId, List.of())));
    }

    public Optional<Run> run(UUID runId) {
        return transaction(() -> Optional.ofNullable(runs.get(runId)).map(RunRow::toRun));
    }

    /** The runs of a session in input order. */
    public List<Run> runs(UUID sessionId) {
        return transaction(() -> runs.values().stream().filter(r -> r.sessionId.equals(sessionId))
                .sorted(java.util.Comparator.comparingLong(r -> r.inputSeq)).map(RunRow::toRun).toList());
    }

    public List<Run> allRuns() {
        return transaction(() -> runs.values().stream().map(RunRow::toRun).toList());
    }

    public long epoch(UUID runId) {
        return transaction(() -> runs.get(runId).leaseEpoch);
    }

    public Map<String, Object> sessionState(UUID sessionId) {
        return transaction(() -> Map.copyOf(sessions.get(sessionId).state));
    }

    /** Every recorded start of a tool call, in the order they were written. */
    public List<ToolStart> toolStarts() {
        return transaction(() -> List.copyOf(toolStarts));
    }

    /** The children a run started, as {@code subagent_calls} holds them. */
    public List<SubagentCall> calls(UUID parentRunId) {
        return transaction(() -> calls.stream().filter(c -> c.parentRunId.equals(parentRunId)).map(CallRow::toCall)
                .toList());
    }

    /**
     * Runs {@code work} atomically. The notifications it queued are delivered once it returned;
     * when it throws, none are (it must have changed nothing: every operation checks first).
     */
    <T> T transaction(Supplier<T> work) {
        List<Runnable> deliver;
        T result;
        synchronized (this) {
            outbox.clear();
            try {
                result = work.get();
                deliver = List.copyOf(outbox);
            } finally {
                outbox.clear();
            }
        }
        deliver.forEach(Runnable::run);
        return result;
    }

    void transaction(Runnable work) {
        transaction(() -> {
            work.run();
            return null;
        });
    }

    void notifyWork() {
        outbox.add(feed::workAvailable);
    }

    void notifyStop(UUID runId) {
        outbox.add(() -> feed.stopRequested(runId));
    }

    void notifyRun(UUID runId) {
        outbox.add(() -> feed.runChanged(runId));
    }

    void notifyEvents(UUID sessionId) {
        outbox.add(() -> feed.sessionChanged(sessionId));
    }

    /** Appends events with the next sequence numbers of the session; returns the last. */
    long append(SessionRow session, UUID runId, List<NewEvent> newEvents) {
        List<Event> log = events.get(session.id);
        for (NewEvent event : newEvents) {
            session.lastSeq++;
            log.add(new Event(session.id, session.lastSeq, runId, event.type(), event.data().deepCopy(),
                    clock.instant()));
        }
        if (!newEvents.isEmpty()) {
            notifyEvents(session.id);
        }
        return session.lastSeq;
    }

    /**
     * A run settled: when it answers a sub-agent call, records the child's result on the call,
     * appends {@code subagent.finished} to the parent's session, and wakes the parent (V8's
     * {@code berth_hand_over}).
     */
    void handOver(UUID childRunId, RunStatus status, String output, RunError error) {
        CallRow call = calls.stream().filter(c -> c.childRunId.equals(childRunId) && c.status == RunStatus.RUNNING)
                .findFirst().orElse(null);
        if (call == null) {
            return;
        }
        call.status = status;
        call.output = output;
        call.error = error;
        ObjectNode payload = DocumentJson.object().put("callId", call.callId).put("agent", call.agentName)
                .put("childSessionId", call.childSessionId.toString()).put("childRunId", childRunId.toString())
                .put("status", status.wire()).put("output", output);
        if (error != null) {
            payload.set("error", DocumentJson.object().put("code", error.code()).put("message", error.message()));
        }
        RunRow parent = runs.get(call.parentRunId);
        append(sessions.get(parent.sessionId), parent.id, List.of(new NewEvent(EventType.SUBAGENT_FINISHED, payload)));
        wakeParent(parent);
    }

    /** Queues a waiting parent when none of its calls is open any more: at most once, by the last child. */
    void wakeParent(RunRow parent) {
        boolean open = calls.stream().anyMatch(c -> c.parentRunId.equals(parent.id) && c.status == RunStatus.RUNNING);
        if (parent.status == RunStatus.WAITING && !open) {
            parent.status = RunStatus.QUEUED;
            notifyWork();
            notifyRun(parent.id);
        }
    }

    /**
     * A {@code tool.result} for every call the run leaves open (its pending tools that its last
     * assistant message asked for, in that message's order), as {@code berth_answer_open_calls}
     * writes them: for a run its engine ends (the step commit) and one ended from outside
     * ({@link #settleLive}). The run's pending tools are left to the caller.
     */
    void answerOpenCalls(RunRow run, String reason) {
        if (run.pendingTools.isEmpty()) {
            return;
        }
        Event asked = events.get(run.sessionId).reversed().stream()
                .filter(e -> run.id.equals(e.runId()) && EventType.ASSISTANT_MESSAGE.equals(e.type()))
                .findFirst().orElse(null);
        if (asked == null) {
            return;
        }
        List<NewEvent> results = new ArrayList<>();
        asked.data().path("toolCalls").forEach(call -> {
            String id = call.path("id").asText();
            if (run.pendingTools.containsKey(id)) {
                results.add(new NewEvent(EventType.TOOL_RESULT, DocumentJson.object().put("callId", id)
                        .put("idempotencyKey", run.id + ":" + id).put("name", call.path("name").asText())
                        .put("output", "No result: the call was " + reason + " before it returned.")
                        .put("error", true).put("unanswered", reason)));
            }
        });
        append(sessions.get(run.sessionId), run.id, results);
    }

    /**
     * Ends a live run from outside its execution ({@code berth_settle_live}): results for its open
     * calls, nothing pending, no lease; an owner still executing it is fenced out and told to stop.
     */
    void settleLive(RunRow run, RunStatus status, String reason) {
        answerOpenCalls(run, reason);
        RunStatus previous = run.status;
        run.status = status;
        run.finishedAt = clock.instant();
        run.pendingTools = new LinkedHashMap<>();
        run.cancelRequested = run.cancelRequested || status == RunStatus.CANCELLED;
        run.leaseOwner = null;
        run.leaseExpiresAt = null;
        notifyRun(run.id);
        if (previous == RunStatus.RUNNING) {
            notifyStop(run.id);
        }
        notifyWork();
    }

    /**
     * Cancels one run ({@code berth_cancel_one}): a parked one at once (results for its open
     * calls, its parent told), a running one by asking its owner to stop at its next step.
     */
    void cancelOne(RunRow run) {
        if (IDLE.contains(run.status)) {
            settleLive(run, RunStatus.CANCELLED, "cancelled");
            handOver(run.id, RunStatus.CANCELLED, null, null);
        } else if (run.status == RunStatus.RUNNING) {
            run.cancelRequested = true;
            notifyStop(run.id);
        }
    }

    /**
     * Cancels every run live under {@code rootId} (and the root itself with {@code withRoot}),
     * the deepest first, as {@code berth_cancel_tree}: which runs is decided first, and each is
     * then cancelled as it is by then (a parent woken by its cancelled children is queued).
     */
    void cancelTree(UUID rootId, boolean withRoot) {
        List<List<RunRow>> levels = new ArrayList<>(List.of(List.of(runs.get(rootId))));
        while (!levels.getLast().isEmpty()) {
            List<RunRow> above = levels.getLast();
            levels.add(runs.values().stream().filter(r -> above.stream().anyMatch(p -> p.id.equals(r.parentRunId)))
                    .toList());
        }
        List<RunRow> doomed = new ArrayList<>();
        for (int level = levels.size() - 1; level >= 0; level--) {
            levels.get(level).stream().filter(r -> LIVE.contains(r.status) && (withRoot || !r.id.equals(rootId)))
                    .forEach(doomed::add);
        }
        doomed.forEach(this::cancelOne);
    }

    boolean sessionBusy(UUID sessionId) {
        return runs.values().stream().anyMatch(r -> r.sessionId.equals(sessionId) && LIVE.contains(r.status));
    }

    /** One recorded start of a tool call ({@code tool_calls}): who started which attempt, under which epoch. */
    public record ToolStart(UUID runId, String callId, int attempt, String idempotencyKey, String owner, long epoch) {
    }
}
