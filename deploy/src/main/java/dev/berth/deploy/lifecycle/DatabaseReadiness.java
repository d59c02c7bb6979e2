package dev.berth.deploy.lifecycle;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the database does not answer through the application's reactive pool
 * ({@link DatabaseProbe}): every request and every run needs it. Replaces Quarkus's datasource
 * checks (off in application.properties): the JDBC one asked a connection only Flyway uses, which
 * could be stale after a restart of the database while the reactive pool was fine, and the
 * reactive one logged each failure with its stack. Never blocks: the probe's answer is awaited
 * asynchronously.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {
    private final DatabaseProbe probe;

    @Inject
    public DatabaseReadiness(DatabaseProbe probe) {
        this.probe = probe;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.answer().map(answer -> {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("berth-database")
                    .status(answer.reachable())
                    .withData("checkedAt", answer.at().toString());
            if (!answer.reachable()) {
                response.withData("error", answer.error());
            }
            return response.build();
        });
    }
}
