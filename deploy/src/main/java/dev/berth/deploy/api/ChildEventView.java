package dev.berth.deploy.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An event of a child session (a sub-agent's run), as a parent session's stream with
 * {@code include=children} carries it: tagged with the child's session; {@code seq} is the
 * sequence in that session, not in the parent's.
 */
public record ChildEventView(String sessionId, long seq, String type, String runId, Instant createdAt,
        ObjectNode data) {
}
