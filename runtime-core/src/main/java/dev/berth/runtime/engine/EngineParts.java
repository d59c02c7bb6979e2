package dev.berth.runtime.engine;

import dev.berth.model.ModelClient;
import dev.berth.runtime.config.EngineConfig;
import dev.berth.runtime.config.MemoryConfig;
import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.memory.MemoryService;
import dev.berth.runtime.observe.EngineObserver;
import dev.berth.runtime.port.ChangeFeed;
import dev.berth.runtime.port.EventLog;
import dev.berth.runtime.port.AgentStore;
import dev.berth.runtime.run.RunStore;
import dev.berth.runtime.tools.ToolExecutor;
import java.time.Clock;

/**
 * What a {@link RunExecution} works with; shared by all executions of a process.
 *
 * @param budgetDefaults the configured budgets ({@code berth.budget.*}) a tenant's own override
 */
record EngineParts(RunStore runs, EventLog events, ModelClient model, ToolExecutor tools,
        ContextAssembler context, ChangeFeed feed, EngineConfig config, Clock clock, EngineObserver observer,
        TeamStep teams, MemoryService memory, Compactor compactor, MemoryConfig memoryConfig, AgentStore agents,
        BudgetLimits budgetDefaults) {

    /** Parts with no configured budget (every default unlimited). */
    EngineParts(RunStore runs, EventLog events, ModelClient model, ToolExecutor tools,
            ContextAssembler context, ChangeFeed feed, EngineConfig config, Clock clock, EngineObserver observer,
            TeamStep teams, MemoryService memory, Compactor compactor, MemoryConfig memoryConfig, AgentStore agents) {
        this(runs, events, model, tools, context, feed, config, clock, observer, teams, memory, compactor,
                memoryConfig, agents, BudgetLimits.NONE);
    }
}
