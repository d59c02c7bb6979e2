package dev.berth.runtime.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits that keep agent teams from looping; a run that crosses one fails with a {@code team_*} error. */
@ConfigMapping(prefix = "berth.teams")
public interface TeamConfig {

    /** How deep sub-agent calls may nest: a root run is depth 0, its children 1, and so on. */
    @WithDefault("3")
    int maxDepth();

    /** The most sub-agent calls one model turn may make. */
    @WithDefault("8")
    int maxFanOut();

    /**
     * The most model calls a whole team run (a root run and all its descendants) may have made
     * before it starts another child. Each run is also bounded by its agent's {@code maxSteps}.
     */
    @WithDefault("50")
    int maxTeamSteps();
}
