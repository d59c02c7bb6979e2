package dev.berth.model;

import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.config.RetryPolicy;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.model.internal.ClientEnvironment;
import dev.berth.model.internal.HttpModelClient;
import dev.berth.model.internal.resilience.Ticker;
import java.util.concurrent.atomic.AtomicLong;
import dev.berth.model.internal.resilience.Delayer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test fixture: one Vert.x, one fake server, clients that record backoffs instead of sleeping. */
public final class FakeServerExtension implements AutoCloseable {
    public final Vertx vertx = Vertx.vertx();
    public final FakeModelServer fake;
    /** Backoffs the clients asked for, in order (they are not waited for). */
    public final List<Duration> waits = new CopyOnWriteArrayList<>();
    /** The clients' clock: moves only when a test advances it (or a recorded backoff is "waited"). */
    public final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    public final Ticker ticker = nanos::get;

    public FakeServerExtension() {
        this(FakeOptions.defaults());
    }

    public FakeServerExtension(FakeOptions options) {
        fake = FakeModelServer.startAndAwait(vertx, options);
    }

    public Delayer recordingDelayer() {
        return d -> {
            waits.add(d);
            nanos.addAndGet(d.toNanos());
            return Uni.createFrom().voidItem();
        };
    }

    public ModelClient client(ModelClientConfig config) {
        return new HttpModelClient(vertx, config, new ClientEnvironment(recordingDelayer(), ticker));
    }

    /** A client without retries for the given deployment. */
    public ModelClient noRetryClient(Deployment deployment) {
        return client(ModelClientConfig.single(deployment).withRetry(RetryPolicy.NONE));
    }

    public Deployment azureV1(String key) {
        return Deployment.azureV1(fake.baseUrl(), "gpt-4o-dep", key);
    }

    public void reset() {
        fake.reset();
        waits.clear();
    }

    @Override
    public void close() {
        fake.close();
        vertx.closeAndAwait();
    }

    public static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }
}
