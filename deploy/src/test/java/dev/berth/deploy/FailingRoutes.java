package dev.berth.deploy;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Server faults on demand, for tests of how they are answered and logged: a resource and a
 * Vert.x route that always throw. Hidden from the API document, so suites generated from it
 * never call them.
 */
@Path("/_test/fault")
public class FailingRoutes {

    /** A fault inside a JAX-RS resource. */
    public static final class ResourceFault extends RuntimeException {
        ResourceFault() {
            super("a fault raised by a test resource");
        }
    }

    /** A fault inside a Vert.x route handler. */
    public static final class RouteFault extends RuntimeException {
        RouteFault() {
            super("a fault raised by a test route");
        }
    }

    @GET
    @Operation(hidden = true)
    public String fail() {
        throw new ResourceFault();
    }

    @ApplicationScoped
    static class Route {
        void install(@Observes Router router) {
            router.get("/_test/route-fault").handler(context -> {
                throw new RouteFault();
            });
        }
    }
}
