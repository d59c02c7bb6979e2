package dev.berth.bench.quota;

import dev.berth.bench.http.RepeatedGets;
import dev.berth.bench.db.PgWireProxy;
import dev.berth.bench.db.StatementTally;
import dev.berth.bench.harness.BerthUnderTest;
import dev.berth.bench.http.BerthClient;
import dev.berth.model.fake.FakeModelServer;
import dev.berth.testsupport.PostgresDatabase;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What authentication, the role check and the rate limit cost a request (issue 16): requests/s and
 * SQL statements per request, counted on the wire, for one route per layer, from a few clients in a
 * closed loop, against a Berth process with the rate limiter off and then one with it on (its limit
 * out of reach, so every request pays for the bucket and none is refused):
 * <ul>
 *   <li>{@code public}: {@code GET /v1/info}, no key: none of the layers;</li>
 *   <li>{@code unknown key}: {@code GET /v1/sessions} with a key that does not exist: authentication
 *       that fails (401), the key looked up every time;</li>
 *   <li>{@code key + role}: a developer key on the admin-only {@code GET /v1/api-keys}: authentication
 *       and the role check, refused there (403), so no resource runs;</li>
 *   <li>{@code key + role + route}: an admin key on {@code GET /v1/sessions?limit=1}: the layers and the
 *       cheapest listing (one indexed query).</li>
 * </ul>
 * Every {@code /v1} route but {@code /v1/info} carries a role rule (RouteRulesTest), so the role check
 * cannot be left out over HTTP; it is an annotation read in memory, and the figures show it adds no
 * statement. The rate limiter runs before the role check, so it is paid by refused requests too.
 *
 * <p>Usage: {@code AuthCost [requests] [clients]} (defaults 2000 and 4).
 */
public final class AuthCost {
    private static final int WARM_UP = 200;

    private AuthCost() {
    }

    private record Scenario(String name, String path, BerthClient client, int status) {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        RateLimitCost.offThenOn((fake, limited) -> measure(fake, limited, requests, clients));
    }

    private static void measure(FakeModelServer fake, boolean limited, int requests, int clients) throws Exception {
        try (PgWireProxy proxy = PgWireProxy.start("127.0.0.1", 5432);
                BerthUnderTest berth = BerthUnderTest.start("bench-authcost-" + limited, PostgresDatabase.create(),
                        fake.openAiBaseUrl(), Map.of("BERTH_QUOTA_RATE_LIMIT_ENABLED", Boolean.toString(limited)),
                        proxy.port())) {
            BerthClient admin = berth.client();
            String developerKey = admin.call("POST", "/v1/api-keys", Map.of("name", "dev", "roles", List.of("developer")),
                    201).path("key").asText();
            BerthClient developer = new BerthClient(admin.baseUrl(), developerKey);
            BerthClient stranger = new BerthClient(admin.baseUrl(), "brt_" + "0".repeat(64));
            List<Scenario> scenarios = List.of(
                    new Scenario("public", "/v1/info", admin, 200),
                    new Scenario("unknown key", "/v1/sessions", stranger, 401),
                    new Scenario("key + role", "/v1/api-keys", developer, 403),
                    new Scenario("key + role + route", "/v1/sessions?limit=1", admin, 200));
            for (Scenario scenario : scenarios) {
                send(scenario, WARM_UP, clients);
                StatementTally.Snapshot before = proxy.tally().snapshot();
                long started = System.nanoTime();
                send(scenario, requests, clients);
                double seconds = (System.nanoTime() - started) / 1e9;
                StatementTally.Snapshot spent = proxy.tally().snapshot().minus(before);
                System.out.printf(Locale.ROOT,
                        "rate limit %-3s  %-19s GET %-21s %d: %,6.0f requests/s, %.2f SQL statements per request%n",
                        limited ? "on" : "off", scenario.name(), scenario.path(), scenario.status(),
                        requests / seconds, (double) spent.sqlStatements() / requests);
                spent.byText().forEach((sql, count) -> System.out.printf(Locale.ROOT, "      %,8d  %s%n", count, sql));
            }
        }
    }

    private static void send(Scenario scenario, int requests, int clients) throws Exception {
        RepeatedGets.closedLoop(requests, clients,
                () -> scenario.client().call("GET", scenario.path(), null, scenario.status()));
    }
}
