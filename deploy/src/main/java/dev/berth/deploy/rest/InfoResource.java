package dev.berth.deploy.rest;

import dev.berth.deploy.auth.PublicRoute;
import dev.berth.deploy.api.InfoView;
import dev.berth.deploy.model.ModelMode;
import dev.berth.runtime.engine.RunEngine;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What this process runs against; needs no key. Says plainly when Berth is in demo mode. */
@Path("/v1/info")
@Produces(MediaType.APPLICATION_JSON)
public class InfoResource {
    private final ModelMode mode;
    private final RunEngine engine;
    private final boolean embeddedDb;

    @Inject
    public InfoResource(ModelMode mode, RunEngine engine,
            @ConfigProperty(name = "berth.db.embedded", defaultValue = "false") boolean embeddedDb) {
        this.mode = mode;
        this.engine = engine;
        this.embeddedDb = embeddedDb;
    }

    @GET
    @PublicRoute
    public InfoView info() {
        return new InfoView("berth", "v1", mode.demo(), mode.flavour(), embeddedDb ? "embedded" : "external",
                engine.ownerId());
    }
}
