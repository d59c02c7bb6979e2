package dev.berth.bench.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bench.harness.BerthUnderTest;
import dev.berth.bench.http.BerthClient;
import dev.berth.bench.http.RepeatedGets;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.model.fake.FakeOptions;
import dev.berth.testsupport.PostgresDatabase;
import dev.berth.testsupport.oidc.TestIssuer;
import io.vertx.mutiny.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What verifying an OIDC token costs a request next to an API key (ADR 0030): one Berth process with a
 * test issuer over HTTP configured, {@code GET /v1/sessions} from a few clients in a closed loop, in three
 * rounds, each with an admin API key and then an admin token of the same tenant (alternating, so a
 * loaded machine's drift falls on both alike); it prints each round and the medians. A key is cached
 * after its first lookup; a token is verified on every request (RS256 signature, claims), its JWKS and
 * tenant cached.
 *
 * <p>Usage: {@code TokenAuthCost [requests] [clients]} (defaults 3000 and 4).
 */
public final class TokenAuthCost {
    private static final int WARM_UP = 300;
    private static final int ROUNDS = 3;
    private static final int JIT_WARM_UP = 5000;

    private TokenAuthCost() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Vertx vertx = Vertx.vertx();
        try (FakeModelServer fake = FakeModelServer.startAndAwait(vertx, FakeOptions.defaults());
                TestIssuer issuer = TestIssuer.start("/realms/bench");
                BerthUnderTest berth = BerthUnderTest.start("bench-token-auth", PostgresDatabase.create(),
                        fake.openAiBaseUrl(), Map.of(
                                "BERTH_AUTH_OIDC_ISSUERS_BENCH_ISSUER", issuer.issuer(),
                                "BERTH_AUTH_OIDC_ISSUERS_BENCH_AUDIENCE", "berth-bench",
                                "BERTH_AUTH_OIDC_ISSUERS_BENCH_TENANT_CLAIM", "berth_tenant"), null)) {
            JsonNode tenant = berth.client().call("POST", "/v1/tenants", Map.of("name", "bench"), 201);
            BerthClient key = new BerthClient(berth.client().baseUrl(), tenant.at("/adminKey/key").asText());
            long hour = System.currentTimeMillis() / 1000 + 3600;
            BerthClient token = new BerthClient(berth.client().baseUrl(), issuer.sign(Map.of("aud", "berth-bench",
                    "berth_tenant", tenant.get("id").asText(), "sub", "bench-user", "roles", List.of("admin"),
                    "exp", hour)));
            // The JIT first: without this the first rounds measure compilation, not authentication.
            send(key, JIT_WARM_UP, clients);
            send(token, JIT_WARM_UP, clients);
            // Alternating rounds, so that the load of a shared machine drifts over both kinds alike.
            List<Double> keyRates = new ArrayList<>();
            List<Double> tokenRates = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                keyRates.add(measure("API key", key, requests, clients));
                tokenRates.add(measure("OIDC token", token, requests, clients));
            }
            System.out.printf(Locale.ROOT, "median of %d rounds: API key %.0f requests/s, OIDC token %.0f requests/s%n",
                    ROUNDS, median(keyRates), median(tokenRates));
        } finally {
            vertx.closeAndAwait();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double measure(String what, BerthClient client, int requests, int clients) throws Exception {
        send(client, WARM_UP, clients);
        long started = System.nanoTime();
        send(client, requests, clients);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%-10s: %,d requests (GET /v1/sessions, %d clients) in %.2f s: %.0f requests/s,"
                + " %.2f ms per request per client%n", what, requests, clients, seconds, requests / seconds,
                seconds * 1000 * clients / requests);
        return requests / seconds;
    }

    private static void send(BerthClient client, int requests, int clients) throws Exception {
        RepeatedGets.send(client, "/v1/sessions", requests, clients);
    }
}
