package dev.berth.model.internal;

import dev.berth.model.internal.resilience.Delayer;
import dev.berth.model.internal.resilience.Ticker;
import io.vertx.mutiny.core.Vertx;

/** Time for a client: how it waits between retries and reads the clock. Tests inject fakes. */
public record ClientEnvironment(Delayer delayer, Ticker ticker) {
    public static ClientEnvironment real(Vertx vertx) {
        return new ClientEnvironment(Delayer.vertx(vertx), Ticker.system());
    }
}
