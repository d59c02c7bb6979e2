package dev.berth.deploy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.fuzz.FuzzCases.FuzzCase;
import dev.berth.deploy.fuzz.OpenApiRoutes.Route;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The fuzz suite (issue 14): every route and method of the OpenAPI document, read at run time,
 * gets malformed, wrong-typed, oversized, deeply nested, NUL-ridden, odd-Unicode bodies, bad path
 * and query values, odd headers, broken framings, wrong methods and keys. Then:
 * <ul>
 * <li>no answer is a 5xx, and every 4xx is {@code application/problem+json} with a {@code type};</li>
 * <li>no request that had to be refused was accepted (a 2xx for a writing method);</li>
 * <li>every table's row count and content hash is as before: {@link #WHOLE} whole, the others for
 *     the fuzz tenant's rows (see there why). The fixture's runs are settled (completed or paused)
 *     before the first snapshot, which is taken once two in a row agree, so no lease or heartbeat
 *     of the fuzz tenant is written during the run.</li>
 * </ul>
 * The seed is printed; {@code -Dberth.fuzz.seed=N} replays a run, {@code -Dberth.fuzz.requests=N}
 * sets its size (CI: {@value #CI_REQUESTS}; full: 10,000, see docs/security.md). Failures are
 * listed one line per route, input kind, status and failure ({@code FUZZ-FAIL ...}).
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ApiFuzzTest {
    static final int CI_REQUESTS = 3000;
    /**
     * Compared whole; of the other tables, only the fuzz tenant's rows are compared. Other tenants'
     * rows are left out on purpose: test classes that ran before in the same JVM may leave runs in
     * flight (a 60 s model reply, say) whose leases, heartbeats and steps change rows meanwhile.
     * Every fuzz request carries the fuzz tenant's key (or, for operator-only routes, the operator's,
     * whose writes land in these two tables), so whatever it could write is in what is compared;
     * that no request reaches another tenant's rows is the tenancy suite's proof.
     */
    static final Set<String> WHOLE = Set.of("tenants", "api_keys");

    @TestHTTPResource
    URL base;

    @Test
    void badInputIsRefusedCleanlyAndChangesNothing() throws Exception {
        // Given the routes of the OpenAPI document, and a tenant with one of everything
        long seed = Long.getLong("berth.fuzz.seed", System.nanoTime());
        int size = Integer.getInteger("berth.fuzz.requests", CI_REQUESTS);
        Random random = new Random(seed);
        System.out.println("fuzz: seed " + seed + ", " + size + " requests");
        OpenApiRoutes document = OpenApiRoutes.load(base.toURI());
        TenantObjects objects = TenantObjects.create("fz" + Long.toHexString(seed & 0xffffff));
        long maxBody = ConfigProvider.getConfig().getOptionalValue("berth.api.max-body-bytes", Long.class)
                .orElse(1_048_576L);
        FuzzCases cases = new FuzzCases(objects, new SchemaBodies(document, objects.fields()), document.routes(),
                maxBody);
        RawHttp http = new RawHttp(base.getHost(), base.getPort(), Duration.ofSeconds(10));
        List<Route> operatorOnly = new ArrayList<>();
        for (Route route : document.routes()) {
            if (http.send(cases.bodiless(route, random), random).status() == 403) {
                cases.useKey(route, BerthTestResource.ADMIN_KEY);
                operatorOnly.add(route);
            }
        }
        System.out.println("fuzz: routes sent with the operator's key: " + operatorOnly);
        DatabaseSnapshot before = Snapshots.atRest(objects.tenant(), WHOLE);

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
        List<String> changes = Snapshots.changesSince(before, objects.tenant(), WHOLE);
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
}
