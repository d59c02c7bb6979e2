package dev.berth.runtime.run;

import java.util.UUID;

/** A lease as renewed by a heartbeat, with whether cancellation was requested meanwhile. */
public record LeaseState(UUID runId, long epoch, boolean cancelRequested) {
}
