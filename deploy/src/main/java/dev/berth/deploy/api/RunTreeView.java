package dev.berth.deploy.api;

import java.util.List;

/**
 * A run with the runs its sub-agent calls started, recursively.
 *
 * @param callId          the parent's tool call this run answers (null at the top)
 * @param totalUsage      tokens of this run and everything under it
 * @param totalModelCalls model calls of this run and everything under it
 */
public record RunTreeView(RunView run, String callId, int depth, RunView.UsageView totalUsage, int totalModelCalls,
        List<RunTreeView> children) {
}
