package dev.berth.deploy.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One committed event of a session. */
public record EventView(long seq, String type, String runId, Instant createdAt, ObjectNode data) {
}
