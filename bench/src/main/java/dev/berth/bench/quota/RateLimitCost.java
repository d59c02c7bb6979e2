package dev.berth.bench.quota;

import dev.berth.bench.db.PgWireProxy;
import dev.berth.bench.db.StatementTally;
import dev.berth.bench.harness.BerthUnderTest;
import dev.berth.bench.http.BerthClient;
import dev.berth.bench.http.RepeatedGets;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.PostgresDatabase;
import io.vertx.mutiny.core.Vertx;
import java.util.Locale;
import java.util.Map;

/**
 * What the per-tenant rate limit (ADR 0029) costs a request: {@code GET /v1/sessions} from a few
 * clients in a closed loop against a Berth process with the limiter off, then on (its limit out of
 * reach, so every request pays for the bucket and none is refused), each on a fresh database with
 * its statements counted on the wire. Prints requests/s and SQL statements per request.
 *
 * <p>Usage: {@code RateLimitCost [requests] [clients]} (defaults 3000 and 4).
 */
public final class RateLimitCost {
    private static final int WARM_UP = 300;

    private RateLimitCost() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        offThenOn((fake, limited) -> measure(fake, limited, requests, clients));
    }

    /** A measurement against one Berth process, with the rate limiter off or on. */
    interface LimiterRun {
        void measure(FakeModelServer fake, boolean limited) throws Exception;
    }

    /** Runs {@code run} with the limiter off, then on, against one fake model. */
    static void offThenOn(LimiterRun run) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults())) {
            for (boolean limited : new boolean[] {false, true}) {
                run.measure(fake, limited);
            }
        } finally {
            vertx.closeAndAwait();
        }
    }

    private static void measure(FakeModelServer fake, boolean limited, int requests, int clients) throws Exception {
        try (PgWireProxy proxy = PgWireProxy.start("127.0.0.1", 5432);
                BerthUnderTest berth = BerthUnderTest.start("bench-ratelimit-" + limited, PostgresDatabase.create(),
                        fake.openAiBaseUrl(), Map.of("BERTH_QUOTA_RATE_LIMIT_ENABLED", Boolean.toString(limited)),
                        proxy.port())) {
            BerthClient client = berth.client();
            send(client, WARM_UP, clients);
            StatementTally.Snapshot before = proxy.tally().snapshot();
            long started = System.nanoTime();
            send(client, requests, clients);
            double seconds = (System.nanoTime() - started) / 1e9;
            StatementTally.Snapshot spent = proxy.tally().snapshot().minus(before);
            System.out.printf(Locale.ROOT,
                    "rate limit %-3s: %,d requests (GET /v1/sessions, %d clients) in %.2f s: %.0f requests/s,"
                            + " %.2f SQL statements and %.2f transactions per request%n",
                    limited ? "on" : "off", requests, clients, seconds, requests / seconds,
                    (double) spent.sqlStatements() / requests, (double) spent.transactions() / requests);
            spent.byText().forEach((sql, count) -> System.out.printf(Locale.ROOT, "    %,8d  %s%n", count, sql));
        }
    }

    private static void send(BerthClient client, int requests, int clients) throws Exception {
        RepeatedGets.send(client, "/v1/sessions", requests, clients);
    }
}
