package dev.berth.deploy;

import static dev.berth.deploy.ProcessBacking.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.testsupport.BerthProcess;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Berth with a real Keycloak (26.5.7, {@code kc.sh start-dev}, its embedded database) as the OIDC issuer,
 * end to end (ADR 0030): a realm imported from {@code keycloak/berth-realm.json} (roles, users, an audience
 * mapper and a mapper putting the Berth tenant into {@code berth_tenant}), tokens from the password grant
 * over HTTP, Berth configured by environment variables as in production. Keycloak takes minutes to start
 * on a 2-core machine, so this runs only in the {@code keycloak} profile (docs/security.md, "Keycloak"):
 * {@code mvn -B -pl deploy -am verify -Pkeycloak -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=KeycloakIT}.
 */
class KeycloakIT {
    private static final Duration KEYCLOAK_START = Duration.ofMinutes(8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "5b1d0c6e-2222-4c1a-9a57-5e2b1c0a0002";

    @Test
    void keycloakTokensOpenSessionsForTheirRolesAndAnActorSeesOnlyItsOwn() throws Exception {
        Path home = Path.of(System.getProperty("berth.keycloak.home", ""));
        assertThat(home.resolve("bin/kc.sh")).as("Keycloak unpacked by the keycloak profile").exists();
        int port = freePort();
        String issuer = "http://127.0.0.1:" + port + "/realms/berth";
        try (ProcessBacking backing = ProcessBacking.start();
                BerthProcess berth = backing.berth("keycloak", Map.of(
                        "BERTH_AUTH_OIDC_ISSUERS_KEYCLOAK_ISSUER", issuer,
                        "BERTH_AUTH_OIDC_ISSUERS_KEYCLOAK_AUDIENCE", "berth-api",
                        "BERTH_AUTH_OIDC_ISSUERS_KEYCLOAK_TENANT_CLAIM", "berth_tenant",
                        "BERTH_AUTH_OIDC_ISSUERS_KEYCLOAK_ROLES_CLAIM", "realm_access.roles")).start()) {
            // Given a Berth tenant with an agent, and a Keycloak realm whose tokens name that tenant
            String created = api(berth).body(Map.of("name", "keycloak")).post("/v1/tenants").then().statusCode(201)
                    .extract().asString();
            String tenant = JSON.readTree(created).get("id").asText();
            String adminKey = JSON.readTree(created).at("/adminKey/key").asText();
            as(berth, adminKey).body(Map.of("instructions", "You help.", "model", "gpt-4o"))
                    .put("/v1/agents/assistant").then().statusCode(201);
            try (Keycloak keycloak = Keycloak.start(home, port, tenant)) {
                // When the back end and two users log in with the password grant
                String backend = keycloak.token("backend", "backend-password");
                String alice = keycloak.token("alice", "alice-password");
                String bob = keycloak.token("bob", "bob-password");

                // Then the back end (role service) opens a session for alice, and she talks in it
                String session = as(berth, backend).body(Map.of("agent", "assistant", "actorId", ALICE))
                        .post("/v1/sessions").then().statusCode(201).extract().path("id");
                as(berth, alice).body(Map.of("text", "Hello"))
                        .post("/v1/sessions/" + session + "/messages?wait=30").then().statusCode(200)
                        .body("status", equalTo("completed"));
                as(berth, alice).get("/v1/sessions/" + session).then().statusCode(200).body("actorId", equalTo(ALICE));
                // and bob's actor token does not see it; nor may the back end define agents
                as(berth, bob).get("/v1/sessions/" + session).then().statusCode(404);
                as(berth, backend).body(Map.of("instructions", "x", "model", "m")).put("/v1/agents/other").then()
                        .statusCode(403);
                // and a Keycloak token changed by one character is refused
                String tampered = alice.substring(0, alice.length() - 2)
                        + (alice.charAt(alice.length() - 2) == 'A' ? 'B' : 'A') + alice.charAt(alice.length() - 1);
                as(berth, tampered).get("/v1/sessions").then().statusCode(401);
            }
        }
    }

    private static RequestSpecification as(BerthProcess berth, String credential) {
        return given().baseUri(berth.baseUrl()).header("Authorization", "Bearer " + credential)
                .contentType(ContentType.JSON);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A Keycloak server in dev mode, started from the unpacked distribution with the test realm imported. */
    private static final class Keycloak implements AutoCloseable {
        private final Process process;
        private final String base;
        private final HttpClient http = HttpClient.newHttpClient();

        private Keycloak(Process process, String base) {
            this.process = process;
            this.base = base;
        }

        static Keycloak start(Path home, int port, String tenant) throws Exception {
            Path imports = home.resolve("data/import");
            Files.createDirectories(imports);
            try (InputStream realm = KeycloakIT.class.getResourceAsStream("/keycloak/berth-realm.json")) {
                String json = new String(realm.readAllBytes(), StandardCharsets.UTF_8).replace("${BERTH_TENANT}", tenant);
                Files.writeString(imports.resolve("berth-realm.json"), json);
            }
            Path log = home.resolve("keycloak-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-port=" + port, "--http-host=127.0.0.1", "--import-realm")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", Path.of(ProcessHandle.current().info().command().orElseThrow())
                    .getParent().getParent().toString());
            Instant started = Instant.now();
            Keycloak keycloak = new Keycloak(builder.start(), "http://127.0.0.1:" + port + "/realms/berth");
            keycloak.awaitRealm(log);
            System.out.printf("Keycloak ready in %d s%n", Duration.between(started, Instant.now()).toSeconds());
            return keycloak;
        }

        /** Until the realm's discovery document answers (the import is done), or Keycloak exits. */
        private void awaitRealm(Path log) {
            await().atMost(KEYCLOAK_START).pollInterval(Duration.ofSeconds(1)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited: " + tail(log));
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        }

        String token(String user, String password) throws Exception {
            String form = "grant_type=password&client_id=berth-cli&scope=openid&username=" + user + "&password=" + password;
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return JSON.readTree(answer.body()).get("access_token").asText();
        }

        private static String tail(Path log) throws IOException {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        }

        @Override
        public void close() {
            // kc.sh starts the JVM as its child: stop the whole tree.
            Stream.concat(process.descendants(), Stream.of(process.toHandle())).forEach(ProcessHandle::destroy);
            try {
                process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                Stream.concat(process.descendants(), Stream.of(process.toHandle())).forEach(ProcessHandle::destroyForcibly);
            }
        }
    }
}
