package dev.berth.deploy.api;

import java.util.List;

/** All versions of an agent, oldest first. */
public record AgentVersionsView(String name, List<AgentView> versions) {
}
