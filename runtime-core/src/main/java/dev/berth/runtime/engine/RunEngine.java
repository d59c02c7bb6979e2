package dev.berth.runtime.engine;

import dev.berth.model.ModelClient;
import dev.berth.runtime.config.BudgetConfig;
import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.config.MemoryConfig;
import dev.berth.runtime.config.TeamConfig;
import dev.berth.runtime.cpu.CpuWork;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.memory.MemoryService;
import dev.berth.runtime.memory.MemoryStore;
import dev.berth.runtime.observe.EngineObserver;
import dev.berth.runtime.observe.LogContext;
import dev.berth.runtime.port.AgentStore;
import dev.berth.runtime.port.ChangeFeed;
import dev.berth.runtime.port.EventLog;
import dev.berth.runtime.port.IdempotencyKeys;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Lease;
import dev.berth.runtime.run.LeaseState;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.RunStore;
import dev.berth.runtime.run.team.TeamStore;
import dev.berth.runtime.tools.ToolExecutor;
import dev.berth.runtime.tools.ToolRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Claims runs from PostgreSQL and executes them, up to a limit per process. Every process
 * runs one engine; none is special. Claims are triggered by notifications and by a poll;
 * leases are renewed by a heartbeat, which also delivers cancellation requests and tells
 * the engine about leases it lost.
 *
 * <p>Lifecycle: {@link #start()} once the database is migrated; {@link #drain()} on
 * shutdown. Thread safe.
 */
@ApplicationScoped
public class RunEngine {
    private static final Logger LOG = Logger.getLogger(RunEngine.class);
    /** The most runs one claim statement takes, so that one process does not grab a whole backlog at once. */
    private static final int MAX_CLAIM_BATCH = 16;

    private final RunStore runs;
    private final AgentStore agents;
    private final ChangeFeed feed;
    private final EngineConfig config;
    private final EngineParts parts;
    private final EngineObserver observer;
    private final String owner;
    private final Map<UUID, RunExecution> active = new ConcurrentHashMap<>();
    /**
     * Claimed runs whose execution is not built yet (their agent is being read, say): their
     * leases are renewed too, so that a slow start never lets a lease lapse into a takeover.
     */
    private final Map<UUID, Lease> starting = new ConcurrentHashMap<>();
    private final Map<String, AgentDefinition> agentCache = new ConcurrentHashMap<>();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private volatile boolean accepting;
    private volatile boolean claimAgain;
    private volatile boolean starved;
    private final SessionSweeper sweeper;
    private Cancellable poller;
    private Cancellable heartbeat;
    private final RepeatedFailureLog claimLog;
    private final RepeatedFailureLog heartbeatLog;

    @Inject
    public RunEngine(RunStore runs, EventLog events, AgentStore agents, ModelClient model,
            ToolExecutor tools, ToolRegistry registry, ChangeFeed feed, EngineConfig config,
            Instance<EngineObserver> observers, TeamStore teams, TeamConfig teamConfig, MemoryService memory,
            MemoryConfig memoryConfig, MemoryStore memoryStore, CpuWork cpu, IdempotencyKeys keys,
            BudgetConfig budgets) {
        this(new EngineParts(runs, events, model, tools, new ContextAssembler(registry, cpu), feed, config,
                Clock.systemUTC(), observers.isResolvable() ? observers.get() : EngineObserver.NONE,
                new TeamStep(teams, agents, runs, teamConfig, config.leaseTtl()), memory, new Compactor(model),
                memoryConfig, agents, budgets.limits()), agents, memoryStore, keys);
    }

    /**
     * The engine over the given parts: the seam the unit tests use (in-memory stores, a scripted
     * model, a fake clock), with no container.
     */
    RunEngine(EngineParts parts, AgentStore agents, MemoryStore memoryStore) {
        this(parts, agents, memoryStore, IdempotencyKeys.NONE);
    }

    private RunEngine(EngineParts parts, AgentStore agents, MemoryStore memoryStore, IdempotencyKeys keys) {
        this.runs = parts.runs();
        this.agents = agents;
        this.feed = parts.feed();
        this.config = parts.config();
        this.observer = parts.observer();
        this.parts = parts;
        new AttemptCap(config.maxAttempts()); // a cap below 1 stops the start, not the first failing run
        this.owner = config.ownerId().orElseGet(RunEngine::defaultOwner);
        this.sweeper = new SessionSweeper(runs, memoryStore, keys, config.sweepInterval());
        this.claimLog = new RepeatedFailureLog(LOG, "claim runs", parts.clock());
        this.heartbeatLog = new RepeatedFailureLog(LOG, "renew leases", parts.clock());
    }

    public String ownerId() {
        return owner;
    }

    public int activeRuns() {
        return active.size();
    }

    public boolean accepting() {
        return accepting;
    }

    public synchronized void start() {
        if (!config.enabled() || accepting) {
            return;
        }
        // Before the first step: loading the tokenizer's vocabularies must not happen on an event loop.
        dev.berth.runtime.memory.TokenCounter.warmUp();
        accepting = true;
        feed.onWorkAvailable(this::claim);
        feed.onStopRequested(this::onStopRequested);
        poller = Multi.createFrom().ticks().every(config.pollInterval()).subscribe().with(tick -> claim());
        heartbeat = Multi.createFrom().ticks().every(config.heartbeatInterval())
                .onOverflow().drop()
                .subscribe().with(tick -> renewLeases());
        sweeper.start();
        LOG.infof("Run engine %s started: up to %d runs at once, lease TTL %s", owner, config.maxConcurrentRuns(),
                config.leaseTtl());
        claim();
    }

    /**
     * Stops claiming, lets each run finish the step in flight, and releases the leases so
     * other processes resume the runs at once. Completes within the drain grace period.
     */
    public Uni<Void> drain() {
        synchronized (this) {
            if (!accepting) {
                return Uni.createFrom().voidItem();
            }
            accepting = false;
            if (poller != null) {
                poller.cancel();
            }
            sweeper.stop();
        }
        LOG.infof("Draining %d runs", active.size());
        active.values().forEach(RunExecution::drain);
        return Multi.createFrom().ticks().every(Duration.ofMillis(50))
                .filter(tick -> active.isEmpty())
                .toUni().replaceWithVoid()
                .ifNoItem().after(config.drainGrace()).recoverWithUni(this::releaseRemaining)
                .eventually(() -> {
                    if (heartbeat != null) {
                        heartbeat.cancel();
                    }
                });
    }

    private Uni<Void> releaseRemaining() {
        List<Uni<Void>> releases = active.values().stream()
                .map(execution -> {
                    execution.lose();
                    return runs.release(execution.lease()).onFailure().recoverWithNull();
                })
                .toList();
        return releases.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(releases).andCollectFailures()
                .replaceWithVoid();
    }

    /**
     * Claims as many runs as there are free slots, in one statement; again only if that filled
     * every slot it asked for or a notification came meanwhile, so an idle check costs one
     * statement. Reentrant calls coalesce.
     */
    void claim() {
        if (!accepting) {
            return;
        }
        int free = config.maxConcurrentRuns() - active.size() - starting.size();
        if (free <= 0) {
            // Full: the next run to end claims again (see begin()).
            starved = true;
            return;
        }
        if (!claiming.compareAndSet(false, true)) {
            claimAgain = true;
            return;
        }
        claimAgain = false;
        int asked = Math.min(free, MAX_CLAIM_BATCH);
        runs.claim(owner, config.leaseTtl(), asked).subscribe().with(
                claimed -> {
                    claiming.set(false);
                    claimLog.succeeded();
                    claimed.forEach(this::begin);
                    if (claimed.size() == asked || claimAgain) {
                        claim();
                    }
                },
                failure -> {
                    claiming.set(false);
                    claimLog.failed(failure);
                });
    }

    private void begin(ClaimedRun claimed) {
        Run run = claimed.run();
        if (claimed.takeover()) {
            LogContext.of(run, () -> LOG.infof("Taking over run %s of session %s (epoch %d)", run.id(),
                    run.sessionId(), claimed.lease().epoch()));
        }
        observer.runStarted(claimed);
        starting.put(run.id(), claimed.lease());
        RunExecution[] started = new RunExecution[1];
        agent(run).map(agent -> new RunExecution(parts, claimed, agent))
                .invoke(execution -> {
                    started[0] = execution;
                    active.put(run.id(), execution);
                    starting.remove(run.id(), claimed.lease());
                    // Claimed while drain() began: hand it back at once (drain() flags what it sees in active).
                    if (!accepting) {
                        execution.drain();
                    }
                })
                .chain(RunExecution::execute)
                .onFailure().call(failure -> {
                    if (started[0] == null) {
                        return UnstartableRun.settle(runs, claimed, failure, config.leaseTtl());
                    }
                    LogContext.of(run, () -> LOG.errorf(failure, "Run %s stopped unexpectedly", run.id()));
                    return Uni.createFrom().voidItem();
                })
                .onTermination().invoke(() -> {
                    starting.remove(run.id(), claimed.lease());
                    // Only this execution: after a takeover of its own run, a newer one may be in the map.
                    if (started[0] != null) {
                        active.remove(run.id(), started[0]);
                    }
                    observer.runEnded(claimed, started[0] == null ? RunStatus.RUNNING : started[0].outcome());
                    // Work refused while full may be waiting; otherwise notifications and the poll bring new work.
                    if (starved) {
                        starved = false;
                        claim();
                    }
                })
                .subscribe().with(ignored -> { }, ignored -> { });
    }

    private Uni<AgentDefinition> agent(Run run) {
        String key = run.tenant() + "/" + run.agentName() + "/" + run.agentVersion();
        AgentDefinition cached = agentCache.get(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        // Definitions are immutable, so a cached version never goes stale.
        return agents.find(run.tenant(), run.agentName(), run.agentVersion())
                .map(found -> found.orElseThrow(() -> new NotFoundException("agent", run.agentName())))
                .invoke(found -> agentCache.put(key, found));
    }

    private void renewLeases() {
        Map<UUID, Lease> leases = new HashMap<>(starting);
        active.forEach((runId, execution) -> leases.put(runId, execution.lease()));
        if (leases.isEmpty()) {
            return;
        }
        // A failed heartbeat drops nothing: the executions keep their runs until the store answers again, and
        // then the lease is renewed, or reconcile() finds it taken over and stops the execution (ADR 0025).
        runs.heartbeat(List.copyOf(leases.values()), config.leaseTtl()).subscribe().with(
                held -> {
                    heartbeatLog.succeeded();
                    reconcile(leases, held);
                },
                heartbeatLog::failed);
    }

    /**
     * Delivers cancellation requests and stops the executions whose lease is gone. Only the
     * leases that were asked about are judged: a run claimed meanwhile was not in the question.
     */
    private void reconcile(Map<UUID, Lease> asked, List<LeaseState> held) {
        Set<UUID> stillHeld = new HashSet<>();
        for (LeaseState lease : held) {
            stillHeld.add(lease.runId());
            RunExecution execution = active.get(lease.runId());
            if (execution != null && lease.cancelRequested()) {
                execution.cancel();
            }
        }
        asked.forEach((runId, lease) -> {
            RunExecution execution = active.get(runId);
            if (!stillHeld.contains(runId) && execution != null && execution.lease().epoch() == lease.epoch()
                    && !execution.isLost()) {
                LogContext.of(execution.run(), () -> LOG.infof("Lost the lease of run %s", runId));
                execution.lose();
            }
        });
    }

    private void onStopRequested(UUID runId) {
        RunExecution execution = active.get(runId);
        if (execution != null) {
            // A cancellation may have been requested on another process: look now, not at the next heartbeat.
            Map<UUID, Lease> asked = Map.of(runId, execution.lease());
            runs.heartbeat(List.of(execution.lease()), config.leaseTtl())
                    .subscribe().with(held -> reconcile(asked, held), failure -> { });
        }
    }

    private static String defaultOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "berth";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
