package dev.berth.deploy.model;

import dev.berth.deploy.config.ModelConfig;
import dev.berth.model.ModelClient;
import dev.berth.model.ModelClients;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.runtime.config.MemoryConfig;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Builds the one {@link ModelClient} of the process from {@link ModelConfig}. With no
 * endpoint configured, starts the fake model server on a loopback port (a real HTTP server,
 * so the whole client path runs; see {@link DemoModel} for who may call it) and says loudly
 * that Berth is in demo mode.
 */
@ApplicationScoped
public class ModelClientProducer {
    private static final Logger LOG = Logger.getLogger(ModelClientProducer.class);

    private final Vertx vertx;
    private final ModelConfig config;
    private final MemoryConfig memory;
    private DemoModel demo;
    private ModelClient client;

    @Inject
    public ModelClientProducer(Vertx vertx, ModelConfig config, MemoryConfig memory) {
        this.vertx = vertx;
        this.config = config;
        this.memory = memory;
    }

    /** Made at start (on the main thread), since demo mode waits for the fake server to listen. */
    @Produces
    @Singleton
    @io.quarkus.runtime.Startup
    ModelClient modelClient() {
        client = ModelClients.create(vertx, clientConfig());
        return client;
    }

    @Produces
    @Singleton
    ModelMode modelMode() {
        if (ModelDeployments.demo(config)) {
            return new ModelMode(true, "demo");
        }
        return new ModelMode(false, config.endpoint()
                .map(endpoint -> ModelDeployments.flavour(endpoint, config.flavour()))
                .orElse("named-deployments"));
    }

    private ModelClientConfig clientConfig() {
        if (ModelDeployments.demo(config)) {
            demo = DemoModel.start(vertx, config);
            LOG.warnf("DEMO MODE: no model endpoint is configured (berth.model.endpoint), so every model call goes to"
                    + " the offline fake model at %s. Answers are canned, not intelligent.", demo.baseUrl());
            return demo.clientConfig();
        }
        return ModelDeployments.clientConfig(config, memory.embeddingModel(), System.getenv());
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
        if (demo != null) {
            demo.close();
        }
    }
}
