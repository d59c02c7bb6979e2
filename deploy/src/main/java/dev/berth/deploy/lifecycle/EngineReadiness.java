package dev.berth.deploy.lifecycle;

import dev.berth.runtime.engine.RunEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while draining, so traffic moves away before the process stops. */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {
    private final Lifecycle lifecycle;
    private final RunEngine engine;

    @Inject
    public EngineReadiness(Lifecycle lifecycle, RunEngine engine) {
        this.lifecycle = lifecycle;
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("berth-engine")
                .status(!lifecycle.draining())
                .withData("owner", engine.ownerId())
                .withData("activeRuns", engine.activeRuns())
                .build();
    }
}
