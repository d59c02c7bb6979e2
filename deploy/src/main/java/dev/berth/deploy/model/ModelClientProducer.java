package dev.berth.deploy.model;

import dev.berth.deploy.config.ModelConfig;
import dev.berth.model.ModelClient;
import dev.berth.model.ModelClients;
import dev.berth.model.config.Deployment;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Builds the one {@link ModelClient} of the process from {@link ModelConfig}. With no
 * endpoint configured, starts the fake model server on a loopback port (a real HTTP server,
 * so the whole client path runs) and says loudly that Berth is in demo mode.
 */
@ApplicationScoped
public class ModelClientProducer {
    private static final Logger LOG = Logger.getLogger(ModelClientProducer.class);

    private final Vertx vertx;
    private final ModelConfig config;
    private FakeModelServer fake;
    private ModelClient client;

    @Inject
    public ModelClientProducer(Vertx vertx, ModelConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    @Produces
    @Singleton
    ModelClient modelClient() {
        client = ModelClients.create(vertx, deployment());
        return client;
    }

    @Produces
    @Singleton
    ModelMode modelMode() {
        return config.endpoint().isPresent()
                ? new ModelMode(false, flavour(config.endpoint().get()))
                : new ModelMode(true, "demo");
    }

    private Deployment deployment() {
        if (config.endpoint().isEmpty()) {
            fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults().withLatency(config.demoLatency()));
            LOG.warnf("DEMO MODE: no model endpoint is configured (berth.model.endpoint), so every model call goes to"
                    + " the offline fake model at %s. Answers are canned, not intelligent.", fake.openAiBaseUrl());
            return Deployment.openAi(fake.openAiBaseUrl(), null, null);
        }
        String endpoint = config.endpoint().get();
        String key = config.apiKey().orElse(null);
        String deployment = config.deployment().orElse(null);
        return switch (flavour(endpoint)) {
            case "azure-v1" -> new Deployment(null, URI.create(endpoint), dev.berth.model.config.Flavour.AZURE_V1,
                    deployment, null, key == null ? null : new dev.berth.model.config.Auth.ApiKey(key), 0, null);
            case "azure-classic" -> Deployment.azureClassic(endpoint, deployment, config.apiVersion(), key);
            case "openai" -> Deployment.openAi(endpoint, deployment, key);
            default -> throw new IllegalArgumentException(
                    "berth.model.flavour must be azure-v1, azure-classic or openai, not " + config.flavour().orElse(""));
        };
    }

    private String flavour(String endpoint) {
        if (config.flavour().isPresent()) {
            return config.flavour().get().toLowerCase(Locale.ROOT);
        }
        String host = URI.create(endpoint).getHost();
        boolean azure = host != null && (host.endsWith(".openai.azure.com") || host.endsWith(".services.ai.azure.com")
                || host.endsWith(".azure-api.net") || host.endsWith(".cognitiveservices.azure.com"));
        if (!azure) {
            return "openai";
        }
        return endpoint.contains("/openai/v1") ? "azure-v1" : "azure-classic";
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }
}
