package dev.berth.runtime.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a session's append-only log, numbered by a gapless per-session sequence.
 *
 * @param runId null for events that belong to no run
 * @param type  one of {@link EventType}
 */
public record Event(UUID sessionId, long seq, UUID runId, String type, ObjectNode data, Instant createdAt) {
}
