package dev.berth.deploy.management;

import io.quarkus.vertx.http.ManagementInterface;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The management port (health, metrics) answers GET and HEAD only: nothing there changes
 * state, so any other method is a 405 problem before the route is reached.
 */
@ApplicationScoped
public class ManagementRoutes {

    void readOnly(@Observes ManagementInterface management) {
        management.router().route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (RouteProblem.reads(ctx)) {
                ctx.next();
            } else {
                RouteProblem.readOnly(ctx);
            }
        });
    }
}
