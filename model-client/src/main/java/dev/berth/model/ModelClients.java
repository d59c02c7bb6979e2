package dev.berth.model;

import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.internal.HttpModelClient;
import dev.berth.model.internal.ClientEnvironment;
import io.vertx.mutiny.core.Vertx;

/**
 * Creates {@link ModelClient}s.
 *
 * <pre>{@code
 * ModelClient client = ModelClients.create(vertx, ModelClientConfig.single(
 *         Deployment.azureV1("https://res.openai.azure.com/openai/v1", "gpt-4o", apiKey)));
 * client.chat(ChatRequest.of("gpt-4o", List.of(new ChatMessage.User("hi")), List.of()))
 *         .subscribe().with(r -> ..., failure -> ...);
 * client.close(); // on shutdown
 * }</pre>
 *
 * <p>The client is thread safe, shared by the whole application, and never blocks: results
 * arrive on a Vert.x event loop of the given {@code vertx} (in Quarkus, inject
 * {@code io.vertx.mutiny.core.Vertx}); a call made from a Vert.x worker context completes on that
 * worker context. It owns an HTTP connection pool; close it on shutdown.
 *
 * <p>Configuration errors (a classic deployment without api-version, a blank key, ...) throw
 * {@link IllegalArgumentException} when the config records are built; an unknown logical model
 * name fails the call with {@link ModelException.BadRequest}.
 */
public final class ModelClients {
    private ModelClients() {
    }

    /** A client for the given configuration, waiting on Vert.x timers between retries. */
    public static ModelClient create(Vertx vertx, ModelClientConfig config) {
        return new HttpModelClient(vertx, config, ClientEnvironment.real(vertx));
    }

    /** The simplest case: every logical model name goes to one endpoint. */
    public static ModelClient create(Vertx vertx, Deployment deployment) {
        return create(vertx, ModelClientConfig.single(deployment));
    }
}
