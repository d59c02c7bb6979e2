package dev.berth.runtime.testkit;

import dev.berth.runtime.run.team.ChildStart;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.team.RunTreeNode;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.run.team.SubagentCall;
import dev.berth.runtime.run.team.TeamPosition;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.team.TeamStore;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@link TeamStore} over the {@link InMemoryDatabase}: child sessions and runs, the parent's wait
 * and its wake-up by the last child (through {@link InMemoryDatabase#handOver}), handoffs. Fenced
 * writes go through the {@link InMemoryRunStore}'s step commit, in the same transaction.
 */
public final class InMemoryTeamStore implements TeamStore {
    private final InMemoryDatabase db;
    private final InMemoryRunStore runs;

    public InMemoryTeamStore(InMemoryDatabase db, InMemoryRunStore runs) {
        this.db = db;
        this.runs = runs;
    }

    private <T> Uni<T> tx(Supplier<T> work) {
        return Uni.createFrom().item(() -> db.statement(work));
    }

    @Override
    public Uni<Void> startChildren(Lease lease, StepCommit step, List<ChildStart> children, Duration leaseTtl) {
        if (step.status() != RunStatus.WAITING) {
            throw new IllegalArgumentException("a parent that starts children waits for them");
        }
        return tx(() -> {
            runs.apply(lease, step, leaseTtl);
            RunRow parent = db.runs.get(lease.runId());
            SessionRow parentSession = db.sessions.get(parent.sessionId);
            for (ChildStart child : children) {
                SessionRow session = new SessionRow(child.sessionId(), parent.tenant, child.agentName(),
                        child.agentVersion(), dev.berth.runtime.domain.InputPolicy.ENQUEUE);
                session.team = new LinkedHashMap<>(parentSession.team);
                session.expiresAt = parentSession.expiresAt;
                session.parentSessionId = parentSession.id;
                db.sessions.put(session.id, session);
                db.events.put(session.id, new ArrayList<>());
                db.append(session, child.runId(), List.of(new NewEvent(EventType.USER_MESSAGE,
                        DocumentJson.object().put("text", child.input()))));
                RunRow run = new RunRow(child.runId(), parent.tenant, session.id, 1, child.agentName(),
                        child.agentVersion(), db.clock.instant());
                run.parentRunId = parent.id;
                run.rootRunId = parent.rootRunId == null ? parent.id : parent.rootRunId;
                run.depth = parent.depth + 1;
                db.runs.put(run.id, run);
                db.calls.add(new CallRow(parent.id, child.callId(), child.agentName(), child.agentVersion(),
                        session.id, run.id));
            }
            db.wakeParent(parent);
            db.notifyWork();
            return null;
        });
    }

    @Override
    public Uni<List<SubagentCall>> calls(TenantId tenant, UUID parentRunId) {
        return tx(() -> {
            RunRow parent = db.runs.get(parentRunId);
            return parent == null || !parent.tenant.equals(tenant) ? List.<SubagentCall>of()
                    : db.calls.stream().filter(c -> c.parentRunId.equals(parentRunId)).map(CallRow::toCall).toList();
        });
    }

    @Override
    public Uni<TeamPosition> position(TenantId tenant, UUID runId) {
        return tx(() -> {
            RunRow run = db.runs.get(runId);
            if (run == null || !run.tenant.equals(tenant)) {
                throw new NotFoundException("run", runId);
            }
            UUID root = run.rootRunId == null ? run.id : run.rootRunId;
            long steps = db.runs.values().stream().filter(r -> r.id.equals(root) || root.equals(r.rootRunId))
                    .mapToLong(r -> r.modelCalls).sum();
            return new TeamPosition(run.depth, root, steps);
        });
    }

    @Override
    public Uni<Map<String, Integer>> pins(TenantId tenant, UUID sessionId) {
        return tx(() -> {
            SessionRow session = db.sessions.get(sessionId);
            return session == null || !session.tenant.equals(tenant) ? Map.<String, Integer>of()
                    : Map.copyOf(session.team);
        });
    }

    @Override
    public Uni<Void> handOff(Lease lease, StepCommit step, String agentName, int agentVersion, Duration leaseTtl) {
        return tx(() -> {
            runs.apply(lease, step, leaseTtl);
            RunRow run = db.runs.get(lease.runId());
            run.agentName = agentName;
            run.agentVersion = agentVersion;
            SessionRow session = db.sessions.get(run.sessionId);
            session.agentName = agentName;
            session.agentVersion = agentVersion;
            return null;
        });
    }

    @Override
    public Uni<Boolean> repin(TenantId tenant, UUID sessionId, String agentName, int agentVersion,
            Map<String, Integer> team) {
        return tx(() -> {
            SessionRow session = db.sessions.get(sessionId);
            if (session == null || !session.tenant.equals(tenant) || !session.open(db.clock.instant())) {
                return false;
            }
            session.agentName = agentName;
            session.agentVersion = agentVersion;
            session.team = new LinkedHashMap<>(team);
            return true;
        });
    }

    @Override
    public Uni<List<RunTreeNode>> tree(TenantId tenant, UUID runId) {
        return tx(() -> {
            RunRow root = db.runs.get(runId);
            if (root == null || !root.tenant.equals(tenant)) {
                return List.<RunTreeNode>of();
            }
            List<RunTreeNode> nodes = new ArrayList<>(List.of(new RunTreeNode(root.toRun(), null, callOf(root.id),
                    root.depth)));
            List<RunRow> level = List.of(root);
            while (!level.isEmpty()) {
                List<RunRow> next = new ArrayList<>();
                for (RunRow parent : level) {
                    db.runs.values().stream().filter(r -> parent.id.equals(r.parentRunId)).forEach(child -> {
                        nodes.add(new RunTreeNode(child.toRun(), parent.id, callOf(child.id), child.depth));
                        next.add(child);
                    });
                }
                level = next;
            }
            return nodes;
        });
    }

    private String callOf(UUID childRunId) {
        return db.calls.stream().filter(c -> c.childRunId.equals(childRunId)).map(c -> c.callId).findFirst()
                .orElse(null);
    }
}
