package dev.berth.runtime.run.team;

import dev.berth.runtime.run.Run;
import java.util.UUID;

/**
 * One run of a team tree, flat: a client assembles the tree by {@code parentRunId}.
 *
 * @param parentRunId null for the run the tree was asked for
 * @param callId      the parent's tool call this run answers, or null
 */
public record RunTreeNode(Run run, UUID parentRunId, String callId, int depth) {
}
