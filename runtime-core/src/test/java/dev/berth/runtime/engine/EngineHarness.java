package dev.berth.runtime.engine;

import static org.awaitility.Awaitility.await;

import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.config.TeamConfig;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentLimits;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.Submission;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.memory.MemoryService;
import dev.berth.runtime.observe.EngineObserver;
import dev.berth.runtime.testkit.InMemoryAgentStore;
import dev.berth.runtime.testkit.InMemoryDatabase;
import dev.berth.runtime.testkit.InMemoryEventLog;
import dev.berth.runtime.testkit.InMemoryRunStore;
import dev.berth.runtime.testkit.InMemoryTeamStore;
import dev.berth.runtime.testkit.ScriptedModel;
import dev.berth.runtime.tools.ToolExecutor;
import dev.berth.runtime.tools.ToolRegistry;
import dev.berth.testsupport.FakeClock;
import dev.berth.tool.Tool;
import dev.berth.tool.ToolProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The engine with nothing real behind it: the in-memory stores of the testkit, a strict scripted
 * model, a fake clock and three server-side tools. Builds {@link RunExecution}s over a claim, or
 * whole {@link RunEngine}s (several share one database, like processes share PostgreSQL).
 */
final class EngineHarness implements AutoCloseable {
    static final TenantId TENANT = new TenantId(UUID.fromString("00000000-0000-0000-0000-0000000000aa"));
    static final Duration LEASE_TTL = Duration.ofSeconds(15);
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    final FakeClock clock = new FakeClock();
    final InMemoryDatabase db = new InMemoryDatabase(clock);
    final InMemoryRunStore runs = new InMemoryRunStore(db);
    final InMemoryEventLog events = new InMemoryEventLog(db);
    final InMemoryTeamStore teams = new InMemoryTeamStore(db, runs);
    final InMemoryAgentStore agents = new InMemoryAgentStore();
    final ScriptedModel model = new ScriptedModel();
    private final ToolRegistry registry = new ToolRegistry(List.<ToolProvider>of(() -> List.of(new Tools(clock))));
    private final List<RunEngine> engines = new ArrayList<>();
    /** What the executions and engines built from here report to; set it before building them. */
    EngineObserver observer = EngineObserver.NONE;
    /** The engines' heartbeat interval; by default out of the way, like their other timers. */
    String heartbeatInterval = "1h";

    /** Server-side tools: one answers, one throws, one takes (fake) time. */
    public static final class Tools {
        private final FakeClock clock;

        Tools(FakeClock clock) {
            this.clock = clock;
        }

        @Tool(description = "Looks a key up.")
        public String lookup(String key) {
            return "value of " + key;
        }

        @Tool(description = "Always fails.")
        public String broken(String key) {
            throw new IllegalStateException("the tool broke on " + key);
        }

        @Tool(description = "Works for some minutes.")
        public String slow(int minutes) {
            clock.advance(Duration.ofMinutes(minutes));
            return "done after " + minutes + " minutes";
        }
    }

    static AgentSpec agent() {
        return new AgentSpec("Be brief.", "gpt-4o", List.of("lookup", "broken", "slow"),
                new AgentLimits(10, null, RUN_TIMEOUT), InputPolicy.ENQUEUE);
    }

    AgentDefinition define(String name, AgentSpec spec) {
        return agents.createVersion(TENANT, name, spec).await().indefinitely();
    }

    /** A session of the agent (defined as version 1 if new). */
    UUID session(String agentName, InputPolicy policy) {
        AgentDefinition agent = agents.find(TENANT, agentName, null).await().indefinitely()
                .orElseThrow(() -> new IllegalArgumentException("define " + agentName + " first"));
        UUID session = db.openSession(TENANT, agentName, agent.version(), policy);
        return session;
    }

    Run submit(UUID session, String text) {
        NewEvent input = new NewEvent(EventType.USER_MESSAGE, DocumentJson.object().put("text", text));
        return runs.submit(new Submission(TENANT, session, UUID.randomUUID(), input)).await().indefinitely();
    }

    ClaimedRun claim(String owner) {
        List<ClaimedRun> claimed = runs.claim(owner, LEASE_TTL, 1).await().indefinitely();
        if (claimed.isEmpty()) {
            throw new AssertionError("nothing to claim");
        }
        return claimed.getFirst();
    }

    EngineConfig config(String owner) {
        return new TestConfigs(Map.of(
                "berth.engine.owner-id", owner,
                "berth.engine.lease-ttl", "15s",
                "berth.engine.stream-deltas", "false",
                // The engine's own timers stay out of the way: tests claim through notifications.
                "berth.engine.poll-interval", "1h",
                "berth.engine.heartbeat-interval", heartbeatInterval,
                "berth.engine.sweep-interval", "1h",
                // Retries through a database outage (the testkit's DatabaseFaults) without real waiting.
                "berth.engine.db-retry-backoff", "5ms",
                "berth.engine.db-retry-max-backoff", "20ms")).engine();
    }

    EngineParts parts(String owner) {
        TestConfigs configs = new TestConfigs(Map.of());
        EngineConfig config = config(owner);
        TeamConfig teamConfig = configs.teams();
        MemoryService memory = new MemoryService(new EmptyMemoryStore(), model, configs.memory());
        return new EngineParts(runs, events, model, new ToolExecutor(registry, Duration.ofSeconds(30), 10_000),
                new ContextAssembler(registry), db.feed(), config, clock, observer,
                new TeamStep(teams, agents, runs, teamConfig, config.leaseTtl()), memory, new Compactor(model),
                configs.memory(), agents);
    }

    RunExecution execution(ClaimedRun claimed) {
        AgentDefinition agent = agents.find(TENANT, claimed.run().agentName(), claimed.run().agentVersion())
                .await().indefinitely().orElseThrow();
        return new RunExecution(parts(claimed.lease().owner()), claimed, agent);
    }

    /** A started engine: it claims what the feed announces. */
    RunEngine engine(String owner) {
        RunEngine engine = new RunEngine(parts(owner), agents, new EmptyMemoryStore());
        engine.start();
        engines.add(engine);
        return engine;
    }

    Run run(UUID runId) {
        return db.run(runId).orElseThrow();
    }

    /** Polls (with a deadline, never a fixed sleep) until the run has the status. */
    Run awaitStatus(UUID runId, RunStatus status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> run(runId).status() == status);
        return run(runId);
    }

    List<String> types(UUID session) {
        return db.events(session).stream().map(Event::type).toList();
    }

    @Override
    public void close() {
        engines.forEach(engine -> engine.drain().await().atMost(Duration.ofSeconds(15)));
        db.feed().close();
    }
}
