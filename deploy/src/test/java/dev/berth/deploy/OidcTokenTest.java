package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static dev.berth.deploy.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.fuzz.Snapshots;
import dev.berth.testsupport.oidc.TestIssuer;
import dev.berth.testsupport.oidc.TestIssuer.SigningKey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * OIDC bearer tokens beside API keys (ADR 0030), against issuers served over real HTTP with real RSA
 * keys ({@link TestIssuer}): a valid token gets its roles' answers and is recorded by its subject; every
 * kind of bad token is a 401 that writes nothing; a genuine token granting nothing is a 403; an actor
 * token reaches only its own user's sessions; several issuers at once; keys rotated at the issuer are
 * taken without a restart.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class OidcTokenTest {
    private static final String PROBLEMS = "https://berth.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aValidTokenGetsItsRolesAnswersAndIsRecordedAsItsIssuerAndSubject() throws Exception {
        // Given a tenant with an agent, and tokens of its issuer for a service and a developer
        Tenant tenant = tenantWithAgent("helper");
        TestIssuer issuer = BerthTestResource.issuer();
        String service = issuer.sign(claims(tenant, "backend-1", List.of("service")));
        String developer = issuer.sign(claims(tenant, "dev-1", List.of("developer")));

        // When the service token opens a session, then it is the tenant's and records the token's subject
        String session = Api.openSession(service, "helper", "alice");
        as(tenant.adminKey()).get("/v1/sessions/" + session).then().statusCode(200);
        assertThat(openedBy(session)).isEqualTo("oidc:" + issuer.issuer() + "#backend-1");
        // and its role's limits hold: a service may not define agents, a developer may; neither creates keys
        as(service).body(Map.of("instructions", "x", "model", "m")).put("/v1/agents/other").then().statusCode(403)
                .body("type", equalTo(PROBLEMS + "forbidden"));
        as(developer).body(Map.of("instructions", "x", "model", "m")).put("/v1/agents/other").then().statusCode(201);
        as(developer).get("/v1/api-keys").then().statusCode(403);
        // and another tenant's objects look unknown, the request counted against that tenant's rate limit (its
        // bucket, which nothing but this one token request has touched)
        Tenant other = tenant();
        assertThat(bucketRows(other)).isZero();
        as(issuer.sign(claims(other, "backend-1", List.of("service")))).get("/v1/sessions/" + session).then()
                .statusCode(404);
        assertThat(bucketRows(other)).isOne();
    }

    private static int bucketRows(Tenant tenant) throws Exception {
        try (Connection sql = BerthTestResource.database().connect(); var read = sql.prepareStatement(
                "select count(*) from rate_buckets where tenant_id = ?")) {
            read.setObject(1, tenant.id());
            try (var rows = read.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @Test
    void everyKindOfBadTokenIsA401ProblemThatWritesNothing() throws Exception {
        // Given a tenant with an agent, and a good token's claims
        Tenant tenant = tenantWithAgent("helper");
        TestIssuer issuer = BerthTestResource.issuer();
        Map<String, Object> good = claims(tenant, "backend-1", List.of("service"));
        long now = Instant.now().getEpochSecond();
        SigningKey stranger = SigningKey.generate();
        String valid = issuer.sign(good);
        String[] parts = valid.split("\\.");

        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("expired", issuer.sign(with(good, Map.of("iat", now - 600, "exp", now - 300))));
        bad.put("wrong audience", issuer.sign(with(good, Map.of("aud", "someone-else"))));
        bad.put("no audience", issuer.sign(without(good, "aud")));
        bad.put("unconfigured issuer", issuer.sign(with(good, Map.of("iss", "https://evil.example/realms/berth"))));
        bad.put("another configured issuer's iss", issuer.sign(with(good,
                Map.of("iss", BerthTestResource.fixedIssuer().issuer()))));
        bad.put("unknown kid", issuer.sign(stranger, good));
        bad.put("forged signature, known kid", issuer.sign(new SigningKey(issuer.currentKey().kid(), stranger.pair()),
                good));
        bad.put("tampered claims", parts[0] + "." + base64(JSON.writeValueAsString(with(good,
                Map.of("roles", List.of("admin"))))) + "." + parts[2]);
        bad.put("alg none", base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".");
        bad.put("three parts, not JSON", "abc.def.ghi");

        // When each is sent to open a session, then it is a 401 problem and nothing is written
        Snapshots.expectNothingWritten(() -> {
            for (Map.Entry<String, String> token : bad.entrySet()) {
                var answer = as(token.getValue()).body(Map.of("agent", "helper", "actorId", "a"))
                        .post("/v1/sessions").then().extract();
                assertThat(answer.statusCode()).as(token.getKey()).isEqualTo(401);
                assertThat(answer.jsonPath().getString("type")).as(token.getKey()).isEqualTo(PROBLEMS + "unauthorized");
                assertThat(answer.header("WWW-Authenticate")).as(token.getKey()).isEqualTo("Bearer");
            }
            return null;
        });
        // And the good token still works (nothing above was refused for a reason the good one shares)
        as(valid).get("/v1/sessions").then().statusCode(200);
    }

    @Test
    void aGenuineTokenThatGrantsNothingInBerthIsA403ThatWritesNothing() throws Exception {
        Tenant tenant = tenantWithAgent("helper");
        TestIssuer issuer = BerthTestResource.issuer();
        Map<String, Object> good = claims(tenant, "backend-1", List.of("service"));
        Map<String, Map<String, Object>> refused = new LinkedHashMap<>();
        refused.put("roles none of Berth's", with(good, Map.of("roles", List.of("offline_access", "uma_authorization"))));
        refused.put("no roles claim", without(good, "roles"));
        refused.put("actor and service", with(good, Map.of("roles", List.of("actor", "service"))));
        refused.put("unknown tenant", with(good, Map.of(BerthTestResource.TENANT_CLAIM, UUID.randomUUID().toString())));
        refused.put("tenant not a uuid", with(good, Map.of(BerthTestResource.TENANT_CLAIM, "acme")));
        Snapshots.expectNothingWritten(() -> {
            for (Map.Entry<String, Map<String, Object>> token : refused.entrySet()) {
                var answer = as(issuer.sign(token.getValue())).body(Map.of("agent", "helper", "actorId", "a"))
                        .post("/v1/sessions").then().extract();
                assertThat(answer.statusCode()).as(token.getKey()).isEqualTo(403);
                assertThat(answer.jsonPath().getString("type")).as(token.getKey()).isEqualTo(PROBLEMS + "forbidden");
            }
            return null;
        });
    }

    @Test
    void anActorTokenReachesOnlyItsOwnSubjectsSessions() throws Exception {
        // Given sessions of alice (opened by her own token) and of bob (opened by the back end)
        Tenant tenant = tenantWithAgent("helper");
        TestIssuer issuer = BerthTestResource.issuer();
        String alice = issuer.sign(claims(tenant, "alice", List.of("actor")));
        String aliceSession = as(alice).body(Map.of("agent", "helper")).post("/v1/sessions").then().statusCode(201)
                .body("actorId", equalTo("alice")).extract().path("id");
        String bobSession = Api.openSession(tenant.adminKey(), "helper", "bob");

        // Then alice reads and writes to her own session, and bob's answers as unknown: 404, nothing written
        as(alice).get("/v1/sessions/" + aliceSession).then().statusCode(200);
        Api.send(alice, aliceSession, "hello", 0).statusCode(202);
        as(alice).get("/v1/sessions/" + bobSession).then().statusCode(404).body("type", equalTo(PROBLEMS + "not-found"));
        Snapshots.expectNothingWritten(() -> Api.send(alice, bobSession, "hi", 0).statusCode(404));
        // her listing holds her session only, and she cannot act for bob
        List<String> listed = as(alice).get("/v1/sessions").then().statusCode(200).extract().path("items.id");
        assertThat(listed).containsExactly(aliceSession);
        as(alice).get("/v1/sessions?actorId=bob").then().statusCode(403);
        as(alice).body(Map.of("agent", "helper", "actorId", "bob")).post("/v1/sessions").then().statusCode(403);
    }

    @Test
    void aSecondIssuerMapsItsOwnClaimsToItsOneTenant() throws Exception {
        // Given the Entra-like issuer's tenant (fixed in configuration), and a token with roles and user where
        // that issuer puts them
        try (Connection sql = BerthTestResource.database().connect(); var insert = sql.prepareStatement(
                "insert into tenants (id, name) values (?, 'fixed') on conflict do nothing")) {
            insert.setObject(1, BerthTestResource.FIXED_TENANT);
            insert.executeUpdate();
        }
        TestIssuer fixed = BerthTestResource.fixedIssuer();
        String oid = UUID.randomUUID().toString();
        String developer = fixed.sign(Map.of("aud", "api://berth-fixed", "oid", oid, "sub", "pairwise-x",
                "realm_access", Map.of("roles", List.of("developer"))));

        // When it defines an agent, then the agent is in that tenant
        as(developer).body(Map.of("instructions", "x", "model", "m")).put("/v1/agents/entra-agent").then().statusCode(201);
        try (Connection sql = BerthTestResource.database().connect(); var read = sql.prepareStatement(
                "select count(*) from agents where tenant_id = ? and name = 'entra-agent'")) {
            read.setObject(1, BerthTestResource.FIXED_TENANT);
            try (var rows = read.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).isOne();
            }
        }
        // and a token of the first issuer with a claim naming that tenant does not reach it through the second's keys
        String crossed = BerthTestResource.issuer().sign(Map.of("iss", fixed.issuer(), "aud", "api://berth-fixed",
                "oid", oid, "realm_access", Map.of("roles", List.of("admin"))));
        as(crossed).get("/v1/agents").then().statusCode(401);
    }

    @Test
    void keysRotatedAtTheIssuerAreTakenWithoutARestartAndARemovedKeyIsRefused() throws Exception {
        // Given a token of the current key that works
        Tenant tenant = tenant();
        TestIssuer issuer = BerthTestResource.rotatingIssuer();
        Map<String, Object> claims = claims(tenant, "backend-1", List.of("service"));
        String before = issuer.sign(claims);
        as(before).get("/v1/sessions").then().statusCode(200);
        int fetches = issuer.jwksRequests();

        // When the issuer rotates to a new key, removing the old one
        issuer.rotate();

        // Then a token signed with the new key is accepted at once, Berth having fetched the JWKS again
        as(issuer.sign(claims)).get("/v1/sessions").then().statusCode(200);
        assertThat(issuer.jwksRequests()).isGreaterThan(fetches);
        // and a token of the removed key is refused, though unexpired and validly signed
        as(before).get("/v1/sessions").then().statusCode(401).body("type", equalTo(PROBLEMS + "unauthorized"));
    }

    record Tenant(UUID id, String adminKey) {
    }

    private static Tenant tenantWithAgent(String agent) throws Exception {
        Tenant tenant = tenant();
        Api.defineAgent(tenant.adminKey(), agent);
        return tenant;
    }

    static Tenant tenant() throws Exception {
        JsonNode created = JSON.readTree(admin().body(Map.of("name", "oidc-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/v1/tenants").then().statusCode(201).extract().asString());
        return new Tenant(UUID.fromString(created.get("id").asText()), created.at("/adminKey/key").asText());
    }

    /** A token's claims as the main test issuer puts them: audience, Berth tenant, user, roles. */
    static Map<String, Object> claims(Tenant tenant, String subject, List<String> roles) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", BerthTestResource.AUDIENCE);
        claims.put(BerthTestResource.TENANT_CLAIM, tenant.id().toString());
        claims.put("sub", subject);
        claims.put("roles", roles);
        return claims;
    }

    private static Map<String, Object> with(Map<String, Object> claims, Map<String, Object> changes) {
        Map<String, Object> changed = new HashMap<>(claims);
        changed.putAll(changes);
        return changed;
    }

    private static Map<String, Object> without(Map<String, Object> claims, String name) {
        Map<String, Object> changed = new HashMap<>(claims);
        changed.remove(name);
        return changed;
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String openedBy(String session) throws Exception {
        try (Connection sql = BerthTestResource.database().connect(); var read = sql.prepareStatement(
                "select opened_by from sessions where id = ?::uuid")) {
            read.setString(1, session);
            try (var rows = read.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
