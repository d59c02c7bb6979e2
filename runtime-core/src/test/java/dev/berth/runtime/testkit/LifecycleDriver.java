package dev.berth.runtime.testkit;

import dev.berth.model.Usage;
import dev.berth.runtime.run.ActionAnswer;
import dev.berth.runtime.run.ActionKind;
import dev.berth.runtime.run.team.ChildStart;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.paused.ActionResolution;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.run.Submission;
import dev.berth.runtime.error.BerthException;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.testkit.LifecycleAction.Answer;
import dev.berth.runtime.testkit.LifecycleAction.Cancel;
import dev.berth.runtime.testkit.LifecycleAction.Claim;
import dev.berth.runtime.testkit.LifecycleAction.Commit;
import dev.berth.runtime.testkit.LifecycleAction.Crash;
import dev.berth.runtime.testkit.LifecycleAction.Expire;
import dev.berth.runtime.testkit.LifecycleAction.Heartbeat;
import dev.berth.runtime.testkit.LifecycleAction.Pause;
import dev.berth.runtime.testkit.LifecycleAction.Release;
import dev.berth.runtime.testkit.LifecycleAction.StartChildren;
import dev.berth.runtime.testkit.LifecycleAction.Submit;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Applies {@link LifecycleAction}s to a {@link LifecycleBackend} as workers and clients would,
 * and says what each one came to ({@code ok}, {@code fenced}, {@code conflict:<type>} ...).
 * Deterministic: ids come from a counter, claimed leases are kept in run-id order, so two
 * drivers over two backends that agree make the same calls with the same ids.
 */
public final class LifecycleDriver {
    public static final Duration LEASE_TTL = Duration.ofSeconds(60);
    private static final String WORKER = "worker";

    private final LifecycleBackend backend;
    private final List<UUID> sessions = new ArrayList<>();
    /** Every run the driver created, in order (roots and children). */
    private final List<UUID> runs = new ArrayList<>();
    /** Leases workers hold, stale ones included: a worker does not know it lost one until it writes. */
    private final List<Lease> leases = new ArrayList<>();
    /** Runs the driver paused, which answers aim at (most runs wait for nothing). */
    private final List<UUID> paused = new ArrayList<>();
    private long ids;

    public LifecycleDriver(LifecycleBackend backend) {
        this.backend = backend;
        InputPolicy[] policies = {InputPolicy.ENQUEUE, InputPolicy.REJECT, InputPolicy.INTERRUPT};
        for (InputPolicy policy : policies) {
            UUID id = nextId();
            backend.openSession(id, policy);
            sessions.add(id);
        }
    }

    private UUID nextId() {
        return new UUID(0xBE27L, ++ids);
    }

    /** Applies the action; returns its outcome. Errors other than the store's own are thrown. */
    public String apply(LifecycleAction action) {
        try {
            return switch (action) {
                case Submit s -> submit(sessions.get(s.session()));
                case Claim c -> claim();
                case Commit c -> withLease(c.lease(), lease -> commit(lease, c.outcome()));
                case Pause p -> withLease(p.lease(), this::pause);
                case StartChildren s -> withLease(s.lease(), lease -> startChildren(lease, s.children()));
                case Answer a -> paused.isEmpty() ? withRun(a.run(), this::answer)
                        : answer(paused.get(a.run() % paused.size()));
                case Cancel c -> withRun(c.run(), run -> await(backend.runs().requestCancel(LifecycleBackend.TENANT, run))
                        .map(r -> "ok:" + r.status().wire()).orElse("not-found"));
                case Expire e -> {
                    backend.expireLeases();
                    yield "ok";
                }
                case Crash c -> withLease(c.lease(), lease -> {
                    leases.remove(lease);
                    return "ok";
                });
                case Heartbeat b -> withLease(b.lease(), lease -> "held:" + await(backend.runs()
                        .heartbeat(List.of(lease), LEASE_TTL)).stream()
                        .map(held -> held.epoch() + (held.cancelRequested() ? "+cancel" : "")).toList());
                case Release r -> withLease(r.lease(), lease -> {
                    await(backend.runs().release(lease));
                    leases.remove(lease);
                    return "ok";
                });
            };
        } catch (FencedOutException e) {
            return "fenced";
        } catch (dev.berth.runtime.error.UnavailableException e) {
            throw e;
        } catch (BerthException e) {
            return e.getClass().getSimpleName() + ":" + e.problemType();
        }
    }

    /**
     * Liveness: works every run off to its end as healthy workers and clients would (leases lapse,
     * a worker claims and completes what it gets, clients answer what paused runs wait for), for
     * at most {@code rounds} rounds. A lifecycle in which a run can get stuck (never claimable,
     * never woken) leaves it live.
     *
     * @return the runs still live at the end; empty when every run ended
     */
    public List<UUID> settleAll(int rounds) {
        for (int round = 0; round < rounds; round++) {
            List<LifecycleBackend.RunView> live = backend.snapshot().runs().values().stream()
                    .filter(r -> InMemoryDatabase.LIVE.contains(r.status())).toList();
            if (live.isEmpty()) {
                return List.of();
            }
            backend.expireLeases();
            int before = leases.size();
            claim();
            for (Lease lease : List.copyOf(leases.subList(before, leases.size()))) {
                apply(new Commit(leases.indexOf(lease), LifecycleAction.Outcome.COMPLETE));
            }
            live.stream().filter(r -> r.status() == RunStatus.REQUIRES_ACTION).forEach(r -> answer(r.id()));
        }
        return backend.snapshot().runs().values().stream()
                .filter(r -> InMemoryDatabase.LIVE.contains(r.status())).map(LifecycleBackend.RunView::id).toList();
    }

    /** The lease a fenced write of this action will carry, or null when it writes with none. */
    public Lease leaseOf(LifecycleAction action) {
        int index = switch (action) {
            case Commit c -> c.lease();
            case Pause p -> p.lease();
            case StartChildren s -> s.lease();
            default -> -1;
        };
        return index < 0 || leases.isEmpty() ? null : leases.get(index % leases.size());
    }

    private String withLease(int index, java.util.function.Function<Lease, String> work) {
        return leases.isEmpty() ? "no-lease" : work.apply(leases.get(index % leases.size()));
    }

    private String withRun(int index, java.util.function.Function<UUID, String> work) {
        return runs.isEmpty() ? "no-run" : work.apply(runs.get(index % runs.size()));
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    private String submit(UUID session) {
        UUID runId = nextId();
        NewEvent input = new NewEvent(EventType.USER_MESSAGE, DocumentJson.object().put("text", "input " + ids));
        await(backend.runs().submit(new Submission(LifecycleBackend.TENANT, session, runId, input)));
        runs.add(runId);
        return "ok";
    }

    private String claim() {
        List<ClaimedRun> claimed = new ArrayList<>(await(backend.runs().claim(WORKER, LEASE_TTL, 64)));
        claimed.sort(Comparator.comparing(c -> c.run().id()));
        claimed.forEach(c -> leases.add(c.lease()));
        return "ok:" + claimed.size();
    }

    private String commit(Lease lease, LifecycleAction.Outcome outcome) {
        NewEvent said = new NewEvent(EventType.ASSISTANT_MESSAGE, DocumentJson.object().put("text", "step"));
        StepCommit step = switch (outcome) {
            case PROGRESS -> new StepCommit(List.of(said), RunStatus.RUNNING, new Usage(3, 2, 0, 0), true, Map.of(),
                    null, null, null);
            case COMPLETE -> new StepCommit(List.of(said), RunStatus.COMPLETED, Usage.ZERO, true, Map.of(), "done",
                    null, null);
            case FAIL -> {
                RunError error = new RunError("boom", "it broke");
                yield new StepCommit(List.of(new NewEvent(EventType.RUN_FAILED, DocumentJson.object().put("code", "boom"))),
                        RunStatus.FAILED, Usage.ZERO, false, Map.of(), null, error, null);
            }
            case CANCELLED -> new StepCommit(List.of(new NewEvent(EventType.RUN_CANCELLED, DocumentJson.object())),
                    RunStatus.CANCELLED, Usage.ZERO, false, Map.of(), null, null, null);
        };
        long last = await(backend.runs().commit(lease, step, LEASE_TTL));
        return "ok:" + last;
    }

    private String pause(Lease lease) {
        String callId = "call-" + (++ids);
        StepCommit step = new StepCommit(List.of(asking(List.of(callId), "pick"),
                new NewEvent(EventType.RUN_REQUIRES_ACTION, DocumentJson.object())),
                RunStatus.REQUIRES_ACTION, Usage.ZERO, false, Map.of(callId, 0), null, null, null);
        await(backend.runs().pause(lease, step,
                List.of(PendingAction.unanswered(callId, ActionKind.CLIENT_TOOL, "pick", "{}")), LEASE_TTL));
        paused.add(lease.runId());
        return "ok";
    }

    private String startChildren(Lease lease, int count) {
        List<ChildStart> children = new ArrayList<>();
        List<NewEvent> events = new ArrayList<>();
        Map<String, Integer> pending = new LinkedHashMap<>();
        events.add(null); // the assistant message asking for the calls, once their ids are known
        for (int i = 0; i < count; i++) {
            ChildStart child = new ChildStart(nextId(), nextId(), "sub-" + ids, LifecycleBackend.HELPER, 1, "task");
            children.add(child);
            pending.put(child.callId(), 0);
            events.add(new NewEvent(EventType.SUBAGENT_STARTED, DocumentJson.object().put("callId", child.callId())));
        }
        events.set(0, asking(List.copyOf(pending.keySet()), "agent__" + LifecycleBackend.HELPER));
        StepCommit step = new StepCommit(events, RunStatus.WAITING, Usage.ZERO, false, pending, null, null, null);
        await(backend.teams().startChildren(lease, step, children, LEASE_TTL));
        children.forEach(child -> runs.add(child.runId()));
        return "ok";
    }

    /** As the paused-run service does it: decided in runtime-core on what the run waits for, applied by the store. */
    private String answer(UUID run) {
        var found = await(backend.runs().find(LifecycleBackend.TENANT, run));
        if (found.isEmpty() || found.get().status() != RunStatus.REQUIRES_ACTION) {
            return "not-waiting";
        }
        List<PendingAction> waits = await(backend.runs().pendingActions(LifecycleBackend.TENANT, run));
        String key = waits.stream().filter(w -> !w.answered()).map(PendingAction::callId).findFirst().orElse("none");
        var decision = ActionResolution.resolve(run, waits, List.of(ActionAnswer.output(key, "blue")), 1000);
        return "ok:" + await(backend.runs().applyAnswers(LifecycleBackend.TENANT, run, decision)).status().wire();
    }

    /** The assistant message that asks for these calls, as the engine commits it before their step. */
    private static NewEvent asking(List<String> callIds, String tool) {
        var message = DocumentJson.object().put("text", "");
        var calls = message.putArray("toolCalls");
        callIds.forEach(id -> calls.addObject().put("id", id).put("name", tool).put("arguments", "{}"));
        return new NewEvent(EventType.ASSISTANT_MESSAGE, message);
    }
}
