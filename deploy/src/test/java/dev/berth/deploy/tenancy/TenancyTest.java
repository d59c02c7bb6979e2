package dev.berth.deploy.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.fuzz.DatabaseSnapshot;
import dev.berth.deploy.fuzz.OpenApiRoutes;
import dev.berth.deploy.fuzz.OpenApiRoutes.Route;
import dev.berth.deploy.fuzz.RawAnswer;
import dev.berth.deploy.fuzz.RawHttp;
import dev.berth.deploy.fuzz.SchemaBodies;
import dev.berth.deploy.fuzz.Snapshots;
import dev.berth.deploy.fuzz.TenantObjects;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tenancy suite (issue 14). Tenant A owns one of everything ({@link TenantObjects}); tenant B
 * (an admin key) tries every route of the OpenAPI document, read at run time, that takes an id or
 * a name, once with each of A's objects and once with an unknown value of the same shape. The two
 * answers must be identical (status, content type, problem type, and body once the value, UUIDs
 * and times are masked): B cannot even learn that A's object exists. A's rows are unchanged at the
 * end. B's listings show nothing of A. A path parameter the suite cannot fill with one of A's
 * objects fails the test, so coverage cannot shrink when a route is added.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class TenancyTest {
    @TestHTTPResource
    URL base;

    @Test
    void anotherTenantsObjectsLookExactlyLikeUnknownOnesAndStayUntouched() throws Exception {
        // Given tenant A with one of everything, and tenant B
        long seed = Long.getLong("berth.tenancy.seed", System.nanoTime());
        Random random = new Random(seed);
        String tag = Long.toHexString(seed & 0xffffff);
        OpenApiRoutes document = OpenApiRoutes.load(base.toURI());
        TenantObjects a = TenantObjects.create("ta" + tag);
        TenantObjects b = TenantObjects.bare("tb" + tag);
        RawHttp http = new RawHttp(base.getHost(), base.getPort(), Duration.ofSeconds(15));
        CrossTenantProbe probe = new CrossTenantProbe(a, b, new SchemaBodies(document, a.fields()), http, random);
        DatabaseSnapshot before = Snapshots.atRest(a.tenant(), Set.of());

        // (first: what B can list, before B has created anything with the same names)
        List<String> leaks = new ArrayList<>();
        for (Route route : document.routes()) {
            if (route.method().equals("GET") && route.in("path").isEmpty()) {
                RawAnswer answer = probe.list(route);
                String found = a.allValues().stream().filter(answer.text()::contains).findFirst().orElse(null);
                System.out.printf("tenancy: B lists %s: %d, %d bytes%n", route, answer.status(), answer.body().length);
                if (found != null) {
                    leaks.add(route + " shows A's " + found);
                }
            }
        }


        // When B asks every route with a path parameter for A's objects, and for unknown ones of the same shape
        // (routes that create by name last: B may then own an object of the same name, which is its right)
        List<String> differences = new ArrayList<>();
        List<String> unfillable = new ArrayList<>();
        int compared = 0;
        List<Route> routes = document.routes().stream()
                .sorted(Comparator.comparing(route -> route.method().equals("PUT"))).toList();
        for (Route route : routes) {
            if (route.in("path").isEmpty()) {
                continue;
            }
            List<String> missing = probe.unfillable(route);
            if (!missing.isEmpty()) {
                unfillable.add(route + " (" + String.join(", ", missing) + ")");
                continue;
            }
            for (CrossTenantProbe.Comparison comparison : probe.compare(route)) {
                compared++;
                System.out.println("tenancy: " + comparison);
                if (!comparison.same()) {
                    differences.add(comparison.toString());
                }
            }
        }
        // Then every answer about A's objects was an answer about nothing, and A is as it was
        List<String> changes = Snapshots.changesSince(before, a.tenant(), Set.of());
        System.out.printf("tenancy: seed %d; %d comparisons, %d differences, %d unfillable routes, %d leaks; A's rows "
                + "changed: %s%n", seed, compared, differences.size(), unfillable.size(), leaks.size(),
                changes.isEmpty() ? "none" : changes);
        assertThat(unfillable).as("routes whose path parameters name no kind of object A has").isEmpty();
        assertThat(differences).as("B's answers for A's objects that differ from those for unknown ones").isEmpty();
        assertThat(leaks).as("B's listings showing A's objects").isEmpty();
        assertThat(changes).as("A's rows changed by B").isEmpty();
        assertThat(compared).isPositive();
    }
}
