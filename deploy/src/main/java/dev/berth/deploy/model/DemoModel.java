package dev.berth.deploy.model;

import dev.berth.deploy.config.ModelConfig;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import io.vertx.mutiny.core.Vertx;

/**
 * The offline fake model that demo mode calls. It listens on loopback only, and every route
 * (model and control) needs a key drawn at random when the process starts, which only this
 * process's model client knows and sends: another local process can neither read the prompts
 * it recorded ({@code /_fake/requests}) nor script its answers ({@code /_fake/script}). It keeps
 * only the newest {@code berth.model.demo-record-limit} requests.
 */
public final class DemoModel implements AutoCloseable {
    private final FakeModelServer fake;

    private DemoModel(FakeModelServer fake) {
        this.fake = fake;
    }

    /** Starts the fake and waits until it listens (blocking: not on an event loop). */
    public static DemoModel start(Vertx vertx, ModelConfig config) {
        FakeOptions options = FakeOptions.defaults()
                .withRandomApiKey()
                .withLatency(config.demoLatency())
                .withRecordLimit(config.demoRecordLimit());
        return new DemoModel(FakeModelServer.startAndAwait(vertx, options));
    }

    /** One OpenAI-style deployment on the fake, with its key sent as a bearer token like any OpenAI key. */
    public ModelClientConfig clientConfig() {
        return ModelClientConfig.single(Deployment.openAi(fake.openAiBaseUrl(), null, fake.apiKey()));
    }

    /** Where the fake listens, for the log (the key is not part of it). */
    public String baseUrl() {
        return fake.openAiBaseUrl();
    }

    FakeModelServer fake() {
        return fake;
    }

    @Override
    public void close() {
        fake.close();
    }
}
