package dev.berth.runtime.run.team;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.NotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

/** The orchestration state of agent teams, as clients see it. */
@ApplicationScoped
public class TeamService {
    private final TeamStore teams;

    @Inject
    public TeamService(TeamStore teams) {
        this.teams = teams;
    }

    /** The run and all the runs its sub-agent calls started, transitively; parents come first. */
    public Uni<List<RunTreeNode>> tree(TenantId tenant, UUID runId) {
        return teams.tree(tenant, runId).invoke(nodes -> {
            if (nodes.isEmpty()) {
                throw new NotFoundException("run", runId);
            }
        });
    }
}
