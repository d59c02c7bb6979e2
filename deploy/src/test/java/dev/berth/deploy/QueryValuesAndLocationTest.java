package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Query values that are not numbers are a 400 problem naming the parameter (JAX-RS alone makes
 * them a 404 naming nothing), and {@code Location} headers are relative, whatever {@code Host}
 * the client sends.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class QueryValuesAndLocationTest {
    private static final String EVIL = "evil.example";

    private String session;

    @BeforeEach
    void givenAnAgentAndASession() {
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "counted", "current_time");
        session = Api.openSession(BerthTestResource.ADMIN_KEY, "counted", "erin");
    }

    @Test
    void nonNumericQueryValuesNameTheParameter() {
        assertNamed(admin().get("/v1/sessions?limit=abc").then(), "limit");
        assertNamed(admin().get("/v1/memories?namespace=actors/erin&limit=ten").then(), "limit");
        assertNamed(admin().get("/v1/sessions/" + session + "/events?after=x").then(), "after");
        assertNamed(admin().get("/v1/sessions/" + session + "/events?limit=1e3").then(), "limit");
        assertNamed(admin().get("/v1/sessions/" + session + "/stream?after=x").then(), "after");
        assertNamed(admin().body(Map.of("text", "hi")).post("/v1/sessions/" + session + "/messages?wait=zz").then(),
                "wait");
        assertNamed(admin().get("/v1/runs/6f1c1e9e-8d3e-4c7a-9d6b-1b2c3d4e5f60?wait=zz").then(), "wait");
    }

    @Test
    void numericQueryValuesStillWork() {
        admin().get("/v1/sessions?limit=5").then().statusCode(200);
        admin().get("/v1/sessions/" + session + "/events?after=0&limit=10").then().statusCode(200);
    }

    @Test
    void locationHeadersAreRelativeWhateverTheHost() {
        // When a client forges the Host header on every request that answers with a Location
        String opened = admin().header("Host", EVIL).body(Map.of("agent", "counted", "actorId", "frank"))
                .post("/v1/sessions").then().statusCode(201)
                .header("Location", startsWith("/v1/sessions/")).extract().path("id");
        String location = admin().header("Host", EVIL).body(Map.of("text", "hi"))
                .post("/v1/sessions/" + opened + "/messages").then().statusCode(202).extract().header("Location");
        String agent = admin().header("Host", EVIL)
                .body(Map.of("instructions", "You are a test agent.", "model", "test-model"))
                .put("/v1/agents/counted").then().statusCode(201).extract().header("Location");
        String memory = admin().header("Host", EVIL)
                .body(Map.of("namespace", "actors/location-check", "content", "likes tea"))
                .post("/v1/memories").then().statusCode(201).extract().header("Location");

        // Then each Location is a path on this server, with no host in it
        org.assertj.core.api.Assertions.assertThat(location).startsWith("/v1/runs/");
        org.assertj.core.api.Assertions.assertThat(agent).startsWith("/v1/agents/counted/versions/");
        org.assertj.core.api.Assertions.assertThat(memory).startsWith("/v1/memories/");
        org.assertj.core.api.Assertions.assertThat(opened).isNotBlank();
    }

    private static void assertNamed(ValidatableResponse response, String parameter) {
        response.statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://berth.dev/problems/validation"))
                .body("errors", hasKey(parameter));
    }
}
