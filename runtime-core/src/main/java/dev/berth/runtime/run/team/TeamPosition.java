package dev.berth.runtime.run.team;

import java.util.UUID;

/**
 * Where a run stands in its team run.
 *
 * @param depth      0 for a run started by input, parent's depth + 1 for a child
 * @param rootRunId  the run at the top of the tree (the run itself for a root)
 * @param teamSteps  model calls made so far by the root and all its descendants
 */
public record TeamPosition(int depth, UUID rootRunId, long teamSteps) {
}
