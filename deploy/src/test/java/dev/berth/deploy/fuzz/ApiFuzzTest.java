package dev.berth.deploy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.fuzz.FuzzCases.FuzzCase;
import dev.berth.deploy.fuzz.OpenApiRoutes.Route;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The fuzz suite (issue 14): every route and method of the OpenAPI document, read at run time,
 * gets malformed, wrong-typed, oversized, deeply nested, NUL-ridden, odd-Unicode bodies, bad path
 * and query values, odd headers, broken framings, wrong methods and keys. Then:
 * <ul>
 * <li>no answer is a 5xx, and every 4xx is {@code application/problem+json} with a {@code type};</li>
 * <li>no request that had to be refused was accepted (a 2xx for a writing method);</li>
 * <li>every table's row count and content hash is as before. No table is excluded: the fixture's
 *     runs are settled (completed or paused) before the first snapshot, so no lease or heartbeat is
 *     written during the run, and the snapshot is taken only once two in a row agree.</li>
 * </ul>
 * The seed is printed; {@code -Dberth.fuzz.seed=N} replays a run, {@code -Dberth.fuzz.requests=N}
 * sets its size (CI: {@value #CI_REQUESTS}; full: 10,000, see docs/security-suites.md). Failures are
 * listed one line per route, input kind, status and failure ({@code FUZZ-FAIL ...}).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ApiFuzzTest {
    static final int CI_REQUESTS = 3000;

    @TestHTTPResource
    URL base;

    @Test
    void badInputIsRefusedCleanlyAndChangesNothing() throws Exception {
        // Given the routes of the OpenAPI document, and one of everything in the operator's tenant
        long seed = Long.getLong("berth.fuzz.seed", System.nanoTime());
        int size = Integer.getInteger("berth.fuzz.requests", CI_REQUESTS);
        Random random = new Random(seed);
        System.out.println("fuzz: seed " + seed + ", " + size + " requests");
        OpenApiRoutes document = OpenApiRoutes.load(base.toURI());
        TenantObjects objects = TenantObjects.populate(BerthTestResource.ADMIN_KEY, operatorTenant(),
                "fz" + Long.toHexString(seed & 0xffffff));
        long maxBody = ConfigProvider.getConfig().getOptionalValue("berth.api.max-body-bytes", Long.class)
                .orElse(1_048_576L);
        FuzzCases cases = new FuzzCases(objects, new SchemaBodies(document, objects.fields()), document.routes(),
                maxBody);
        RawHttp http = new RawHttp(base.getHost(), base.getPort(), Duration.ofSeconds(15));
        DatabaseSnapshot before = Snapshots.atRest(null);

        // When every (route, input kind) pair is tried once, then random pairs until the size is reached
        Set<Route> publicRoutes = document.routes().stream().filter(Route::safe)
                .filter(r -> http.send(cases.withoutKey(r, random), random).status() / 100 == 2)
                .collect(Collectors.toSet());
        FuzzTally tally = new FuzzTally(publicRoutes);
        List<Pair> pairs = pairs(document.routes());
        Collections.shuffle(pairs, random);
        long started = System.nanoTime();
        for (int i = 0; i < Math.max(size, pairs.size()); i++) {
            Pair pair = i < pairs.size() ? pairs.get(i) : weighted(pairs, random);
            FuzzCase fuzz = cases.make(pair.route(), pair.kind(), random);
            tally.record(fuzz, http.send(fuzz.request(), random));
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

        // Then nothing was written, no answer was a 5xx, and every refusal was a typed problem
        List<String> changes = Snapshots.changesSince(before, null);
        System.out.println(tally.report(seed, changes));
        System.out.printf("fuzz: %d routes, %d (route, kind) pairs, %d s%n", document.routes().size(), pairs.size(),
                seconds);
        assertThat(changes).as("tables changed by refused requests").isEmpty();
        assertThat(tally.failureCount()).as("failing answers (FUZZ-FAIL lines above), seed " + seed).isZero();
    }

    private record Pair(Route route, InputKind kind) {
    }

    private static List<Pair> pairs(List<Route> routes) {
        List<Pair> pairs = new ArrayList<>();
        for (Route route : routes) {
            for (InputKind kind : InputKind.values()) {
                if (kind.appliesTo(route)) {
                    pairs.add(new Pair(route, kind));
                }
            }
        }
        return pairs;
    }

    private static Pair weighted(List<Pair> pairs, Random random) {
        int total = pairs.stream().mapToInt(p -> p.kind().weight).sum();
        int at = random.nextInt(total);
        for (Pair pair : pairs) {
            at -= pair.kind().weight;
            if (at < 0) {
                return pair;
            }
        }
        return pairs.getLast();
    }

    private static UUID operatorTenant() throws Exception {
        try (Connection connection = BerthTestResource.database().connect();
                var rows = connection.createStatement().executeQuery("select id from tenants where operator")) {
            rows.next();
            return rows.getObject(1, UUID.class);
        }
    }
}
