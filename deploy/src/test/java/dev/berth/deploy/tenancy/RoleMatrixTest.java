package dev.berth.deploy.tenancy;

import static dev.berth.runtime.domain.Role.ACTOR;
import static dev.berth.runtime.domain.Role.ADMIN;
import static dev.berth.runtime.domain.Role.DEVELOPER;
import static dev.berth.runtime.domain.Role.OPERATOR;
import static dev.berth.runtime.domain.Role.SERVICE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.fuzz.DatabaseSnapshot;
import dev.berth.deploy.fuzz.OpenApiRoutes;
import dev.berth.deploy.fuzz.OpenApiRoutes.Route;
import dev.berth.deploy.fuzz.SchemaBodies;
import dev.berth.deploy.fuzz.Snapshots;
import dev.berth.deploy.fuzz.TenantObjects;
import dev.berth.runtime.domain.Role;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every route of the OpenAPI document, called with a key of every role, and with an actor key of
 * another actor, against the role table below (the README's): a role the route does not allow
 * gets a 403 {@code forbidden} problem, an actor key gets a 404 for an object of another actor,
 * and none of these refusals writes anything; an allowed role is let through. A route missing from
 * the table, or a table row with no route, fails the test: no route is left open by omission.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
public class RoleMatrixTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEMS = "https://berth.dev/problems/";
    private static final Set<Role> READERS = EnumSet.of(DEVELOPER, OPERATOR, SERVICE);
    private static final Set<Role> READERS_AND_ACTOR = EnumSet.of(DEVELOPER, OPERATOR, SERVICE, ACTOR);

    /** The role table (README, "Roles"): who besides admin may call each route; null: public. */
    private static final Map<String, Set<Role>> TABLE = new LinkedHashMap<>();
    /** Routes about one object of an end user: an actor key of another actor gets 404. */
    private static final Set<String> ACTOR_OWNED = Set.of("GET /v1/sessions/{id}", "POST /v1/sessions/{id}/messages",
            "GET /v1/sessions/{id}/events", "GET /v1/sessions/{id}/stream", "GET /v1/runs/{id}",
            "GET /v1/runs/{id}/tree", "POST /v1/runs/{id}/actions", "GET /v1/memories/{id}");
    /** Routes whose body names an actor (the fixture's): an actor key of another actor is refused with 403. */
    private static final Set<String> ACTOR_NAMED = Set.of("POST /v1/sessions", "POST /v1/memories/search");
    /** The platform operator's routes: every tenant key, admin included, gets 403; a platform key is let through. */
    private static final Set<String> PLATFORM = Set.of("GET /v1/platform/tenants",
            "POST /v1/platform/tenants/{id}/suspend", "POST /v1/platform/tenants/{id}/resume",
            "DELETE /v1/platform/tenants/{id}");
    /** The platform key of the test configuration (application.properties holds its SHA-256). */
    static final String PLATFORM_KEY = "brp_platform_test_key_0123456789";

    static {
        TABLE.put("GET /v1/info", null);
        TABLE.put("POST /v1/api-keys", Set.of());
        TABLE.put("GET /v1/api-keys", Set.of());
        TABLE.put("DELETE /v1/api-keys/{id}", Set.of());
        TABLE.put("POST /v1/tenants", Set.of());
        TABLE.put("GET /v1/quotas", EnumSet.of(OPERATOR));
        TABLE.put("PUT /v1/quotas", Set.of());
        TABLE.put("DELETE /v1/actors/{id}", Set.of());
        TABLE.put("PUT /v1/agents/{name}", EnumSet.of(DEVELOPER));
        TABLE.put("GET /v1/agents", READERS);
        TABLE.put("GET /v1/agents/{name}", READERS);
        TABLE.put("GET /v1/agents/{name}/versions", READERS);
        TABLE.put("GET /v1/agents/{name}/versions/{version}", READERS);
        TABLE.put("GET /v1/memory-blocks", READERS);
        TABLE.put("PUT /v1/memory-blocks/{label}", EnumSet.of(DEVELOPER));
        TABLE.put("DELETE /v1/memory-blocks/{label}", EnumSet.of(DEVELOPER));
        TABLE.put("GET /v1/memories", READERS_AND_ACTOR);
        TABLE.put("POST /v1/memories", EnumSet.of(SERVICE));
        TABLE.put("POST /v1/memories/search", READERS_AND_ACTOR);
        TABLE.put("GET /v1/memories/{id}", READERS_AND_ACTOR);
        TABLE.put("PATCH /v1/memories/{id}", EnumSet.of(SERVICE));
        TABLE.put("DELETE /v1/memories/{id}", EnumSet.of(SERVICE));
        TABLE.put("POST /v1/sessions", EnumSet.of(SERVICE, ACTOR));
        TABLE.put("GET /v1/sessions", READERS_AND_ACTOR);
        TABLE.put("GET /v1/sessions/{id}", READERS_AND_ACTOR);
        TABLE.put("DELETE /v1/sessions/{id}", EnumSet.of(OPERATOR));
        TABLE.put("POST /v1/sessions/{id}/upgrade", EnumSet.of(DEVELOPER));
        TABLE.put("POST /v1/sessions/{id}/messages", EnumSet.of(SERVICE, ACTOR));
        TABLE.put("GET /v1/sessions/{id}/events", READERS_AND_ACTOR);
        TABLE.put("GET /v1/sessions/{id}/stream", READERS_AND_ACTOR);
        TABLE.put("GET /v1/runs/{id}", READERS_AND_ACTOR);
        TABLE.put("GET /v1/runs/{id}/tree", READERS_AND_ACTOR);
        TABLE.put("POST /v1/runs/{id}/actions", EnumSet.of(SERVICE, ACTOR));
        TABLE.put("POST /v1/runs/{id}/cancel", EnumSet.of(OPERATOR));
        TABLE.put("GET /v1/audit", EnumSet.of(OPERATOR));
        PLATFORM.forEach(route -> TABLE.put(route, Set.of()));
        TABLE.put("GET /v1/runs", EnumSet.of(OPERATOR, DEVELOPER));
        TABLE.put("POST /v1/sessions/{id}/kill", EnumSet.of(OPERATOR));
        TABLE.put("POST /v1/sessions/{id}/reopen", EnumSet.of(OPERATOR));
        TABLE.put("GET /v1/budgets", EnumSet.of(OPERATOR));
        TABLE.put("PUT /v1/budgets", Set.of());
        TABLE.put("GET /v1/usage", EnumSet.of(OPERATOR));
    }

    @TestHTTPResource
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyRouteAnswersEachRoleAsTheRoleTableSaysAndRefusalsWriteNothing() throws Exception {
        // Given a tenant with one of everything (its session, runs and memory belong to one actor), and a key of each role
        String tag = UUID.randomUUID().toString().substring(0, 6);
        OpenApiRoutes document = OpenApiRoutes.load(base.toURI());
        TenantObjects objects = TenantObjects.create("rm" + tag);
        String owner = objects.fields().get("actorId").asText();
        Map<String, String> keys = credentials(objects, owner, "someone-else-" + tag);
        String admin = keys.get(ADMIN.wire());
        SchemaBodies bodies = new SchemaBodies(document, objects.fields());

        // The table and the document name the same routes
        Set<String> documented = new TreeSet<>();
        document.routes().forEach(route -> documented.add(route.toString()));
        assertThat(documented).as("routes of the OpenAPI document").isEqualTo(new TreeSet<>(TABLE.keySet()));
        // and every route an actor key may call about one object (an id in its path) is checked with another
        // actor's key: a session, run, event, stream or memory id alone is never enough
        Set<String> actorObjectRoutes = new TreeSet<>();
        document.routes().stream().filter(route -> TABLE.get(route.toString()) != null
                        && TABLE.get(route.toString()).contains(ACTOR) && !route.in("path").isEmpty())
                .forEach(route -> actorObjectRoutes.add(route.toString()));
        assertThat(actorObjectRoutes).as("actor routes about one object").isEqualTo(new TreeSet<>(ACTOR_OWNED));

        // When every role the table leaves out, and the other actor, call every route
        DatabaseSnapshot before = Snapshots.atRest(null, Set.of());
        List<String> wrong = new ArrayList<>();
        int refusals = 0;
        for (Route route : document.routes()) {
            Set<Role> allowed = TABLE.get(route.toString());
            if (allowed == null) {
                continue;
            }
            for (Map.Entry<String, String> caller : keys.entrySet()) {
                if (caller.getKey().equals(ADMIN.wire()) && !PLATFORM.contains(route.toString())) {
                    continue; // admin may call every route of its tenant, and no platform route
                }
                boolean otherActor = caller.getKey().equals("other-actor");
                Role role = otherActor ? ACTOR : Role.parse(caller.getKey()).orElseThrow();
                String expected = !allowed.contains(role) || PLATFORM.contains(route.toString())
                        || (otherActor && ACTOR_NAMED.contains(route.toString()))
                        ? "forbidden"
                        : otherActor && ACTOR_OWNED.contains(route.toString()) ? "not-found" : null;
                if (expected == null) {
                    continue;
                }
                refusals++;
                Answer answer = call(route, caller.getValue(), objects, bodies, false);
                int status = expected.equals("forbidden") ? 403 : 404;
                if (answer.status() != status || !answer.body().contains("\"" + PROBLEMS + expected + "\"")) {
                    wrong.add(caller.getKey() + " " + route + ": " + answer.status() + " " + answer.body());
                }
            }
        }
        // Then each got its refusal, and nothing was written
        List<String> changes = Snapshots.changesSince(before, null, Set.of());
        System.out.printf("role matrix: %d routes, %d refusals, %d wrong, changes: %s%n", TABLE.size(), refusals,
                wrong.size(), changes);
        assertThat(wrong).as("refusals that were not the documented 403 forbidden / 404 not-found").isEmpty();
        assertThat(changes).as("tables written by refused requests").isEmpty();
        assertThat(refusals).isGreaterThan(60);

        // And every allowed role (admin everywhere) is let through: never a 401/403, never a 5xx; reading an object of
        // its own, an actor key gets it
        for (Route route : document.routes()) {
            Set<Role> allowed = TABLE.get(route.toString());
            if (allowed == null) {
                continue;
            }
            Map<String, String> callers = new LinkedHashMap<>();
            allowed.forEach(role -> callers.put(role.wire(), keys.get(role.wire())));
            if (PLATFORM.contains(route.toString())) {
                callers.put("platform", PLATFORM_KEY);
            } else if (route.safe()) {
                callers.put(ADMIN.wire(), admin);
            }
            if (allowed.contains(ACTOR) && route.safe() && route.in("path").isEmpty()) {
                callers.put("other-actor", keys.get("other-actor"));
            }
            for (Map.Entry<String, String> caller : callers.entrySet()) {
                Answer answer = call(route, caller.getValue(), objects, bodies, true);
                boolean ownRead = caller.getKey().equals("actor") && route.safe();
                if (answer.status() == 401 || answer.status() == 403 || answer.status() >= 500
                        || (ownRead && answer.status() != 200)) {
                    wrong.add(caller.getKey() + " " + route + ": " + answer.status() + " " + answer.body());
                }
                // a listing shows another actor nothing of the fixture's actor
                if (caller.getKey().equals("other-actor")
                        && (answer.status() != 200 || objects.allValues().stream().anyMatch(answer.body()::contains))) {
                    wrong.add(caller.getKey() + " " + route + ": " + answer.status() + " " + answer.body());
                }
            }
        }
        assertThat(wrong).as("allowed roles that were turned away").isEmpty();
    }

    @Test
    void aSuspendedTenantGets403OnEveryRouteWithEveryKeyAndWritesNothingUntilResumed() throws Exception {
        // Given a tenant with one of everything and a key of each role, suspended by the platform operator
        String tag = UUID.randomUUID().toString().substring(0, 6);
        OpenApiRoutes document = OpenApiRoutes.load(base.toURI());
        TenantObjects objects = TenantObjects.create("su" + tag);
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ADMIN.wire(), objects.key());
        for (Role role : List.of(DEVELOPER, OPERATOR, SERVICE)) {
            keys.put(role.wire(), key(objects.key(), Map.of("name", role.wire(), "roles", List.of(role.wire()))));
        }
        keys.put("actor", key(objects.key(), Map.of("name", "own", "roles", List.of("actor"),
                "actorId", objects.fields().get("actorId").asText())));
        SchemaBodies bodies = new SchemaBodies(document, objects.fields());
        given().header("Authorization", "Bearer " + PLATFORM_KEY)
                .post("/v1/platform/tenants/" + objects.tenant() + "/suspend").then().statusCode(204);

        // When every key calls every route of the tenant API
        DatabaseSnapshot before = Snapshots.atRest(null, Set.of());
        List<String> wrong = new ArrayList<>();
        int calls = 0;
        for (Route route : document.routes()) {
            if (TABLE.get(route.toString()) == null || PLATFORM.contains(route.toString())) {
                continue;
            }
            for (Map.Entry<String, String> caller : keys.entrySet()) {
                calls++;
                Answer answer = call(route, caller.getValue(), objects, bodies, false);
                if (answer.status() != 403 || !answer.body().contains("\"" + PROBLEMS + "tenant-suspended\"")) {
                    wrong.add(caller.getKey() + " " + route + ": " + answer.status() + " " + answer.body());
                }
            }
        }

        // Then each is a 403 tenant-suspended problem and nothing was written
        List<String> changes = Snapshots.changesSince(before, null, Set.of());
        assertThat(wrong).as("calls of a suspended tenant that were not refused as suspended").isEmpty();
        assertThat(changes).as("tables written by a suspended tenant's requests").isEmpty();
        assertThat(calls).isGreaterThan(150);
        // and once resumed, its keys work again
        given().header("Authorization", "Bearer " + PLATFORM_KEY)
                .post("/v1/platform/tenants/" + objects.tenant() + "/resume").then().statusCode(204);
        given().header("Authorization", "Bearer " + objects.key()).get("/v1/sessions").then().statusCode(200);
    }

    /**
     * A credential of each role of the fixture's tenant (by wire name, admin included), an actor credential of
     * the fixture's actor ({@code actor}) and one of another actor ({@code other-actor}): API keys here;
     * {@link OidcRoleMatrixTest} gives OIDC tokens instead and expects the same answers.
     */
    protected Map<String, String> credentials(TenantObjects objects, String owner, String otherActor) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ADMIN.wire(), objects.key());
        for (Role role : List.of(DEVELOPER, OPERATOR, SERVICE)) {
            keys.put(role.wire(), key(objects.key(), Map.of("name", role.wire(), "roles", List.of(role.wire()))));
        }
        keys.put("actor", key(objects.key(), Map.of("name", "own", "roles", List.of("actor"), "actorId", owner)));
        keys.put("other-actor", key(objects.key(), Map.of("name", "other", "roles", List.of("actor"),
                "actorId", otherActor)));
        return keys;
    }

    /**
     * The route with its path filled with the tenant's objects. A request that is let through and would
     * destroy a fixture (delete, cancel, change) names an unknown object instead, and answers 404.
     */
    private Answer call(Route route, String key, TenantObjects objects, SchemaBodies bodies, boolean letThrough)
            throws Exception {
        boolean destructive = route.method().equals("DELETE") || route.method().equals("PATCH")
                || route.path().endsWith("/cancel") || route.path().endsWith("/upgrade")
                || route.path().endsWith("/suspend") || route.path().endsWith("/resume")
                || route.path().endsWith("/kill") || route.path().endsWith("/reopen");
        String path = route.path();
        String[] segments = path.split("/");
        for (int i = 1; i < segments.length; i++) {
            if (segments[i].startsWith("{")) {
                String collection = segments[i - 1];
                List<String> values = objects.byCollection().get(collection);
                String value = collection.equals("runs") && route.path().endsWith("/actions") ? values.get(2)
                        : values.getFirst();
                if (letThrough && destructive && !collection.equals("memory-blocks")) {
                    value = collection.equals("agents") || collection.equals("actors") ? "unknown-" + value
                            : UUID.randomUUID().toString();
                }
                segments[i] = value;
            }
        }
        String target = String.join("/", segments);
        if (path.startsWith("/v1/memory-blocks")) {
            target += "?namespace=" + objects.fields().get("namespace").asText();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(base.toURI().resolve(target))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key);
        if (route.hasBody()) {
            JsonNode body = bodies.plain(route.bodySchema());
            request.header("Content-Type", "application/json")
                    .method(route.method(), HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(route.method(), HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            // A stream that started is an answer: its head is all this needs.
            return new Answer(response.statusCode(), stream ? "(stream)" : new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }

    private record Answer(int status, String body) {
    }

    private static String key(String adminKey, Map<String, Object> request) throws Exception {
        return JSON.readTree(given().header("Authorization", "Bearer " + adminKey).contentType(ContentType.JSON)
                .body(request).post("/v1/api-keys").then().statusCode(201).extract().asString()).path("key").asText();
    }
}
