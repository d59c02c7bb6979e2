package dev.berth.runtime.testkit;

import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.run.RunStore;
import dev.berth.runtime.run.team.TeamStore;
import dev.berth.testsupport.FakeClock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The in-memory store as a {@link LifecycleBackend}: leases lapse by moving its {@link FakeClock}. */
public final class InMemoryLifecycleBackend implements LifecycleBackend {
    private final InMemoryDatabase db = new InMemoryDatabase(new FakeClock());
    private final InMemoryRunStore runs = new InMemoryRunStore(db);
    private final InMemoryTeamStore teams = new InMemoryTeamStore(db, runs);

    public InMemoryLifecycleBackend() {
        db.feed().silence();
    }

    @Override
    public RunStore runs() {
        return runs;
    }

    @Override
    public TeamStore teams() {
        return teams;
    }

    @Override
    public void openSession(UUID id, InputPolicy policy) {
        db.openSession(id, TENANT, AGENT, 1, policy);
    }

    @Override
    public void expireLeases() {
        db.clock().advance(LifecycleDriver.LEASE_TTL.plus(Duration.ofSeconds(1)));
    }

    @Override
    public Snapshot snapshot() {
        return db.transaction(() -> {
            Map<UUID, RunView> views = new LinkedHashMap<>();
            db.runs.values().forEach(r -> views.put(r.id, new RunView(r.id, r.sessionId, r.inputSeq, r.parentRunId,
                    r.status, r.step, r.leaseEpoch, r.modelCalls, r.output, r.error == null ? null : r.error.code(), r.cancelRequested)));
            Map<UUID, List<EventView>> events = new LinkedHashMap<>();
            db.events.forEach((session, log) -> events.put(session,
                    log.stream().map(e -> new EventView(e.seq(), e.type(), e.runId())).toList()));
            List<CallView> calls = db.calls.stream()
                    .map(c -> new CallView(c.parentRunId, c.callId, c.childRunId, c.status))
                    .sorted(Comparator.comparing((CallView c) -> c.parentRunId()).thenComparing(CallView::callId))
                    .toList();
            return new Snapshot(views, events, calls);
        });
    }

    public void close() {
        db.feed().close();
    }
}
