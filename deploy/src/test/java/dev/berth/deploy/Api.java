package dev.berth.deploy;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** Small helpers to drive the API as a client would. */
final class Api {
    private Api() {
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    static RequestSpecification admin() {
        return as(BerthTestResource.ADMIN_KEY);
    }

    static void defineAgent(String key, String name, String... tools) {
        as(key).body(Map.of("instructions", "You are a test agent.", "model", "test-model", "tools", tools))
                .put("/v1/agents/" + name).then().statusCode(201);
    }

    static String openSession(String key, String agent, String actor) {
        return as(key).body(Map.of("agent", agent, "actorId", actor))
                .post("/v1/sessions").then().statusCode(201).extract().path("id");
    }

    static ValidatableResponse send(String key, String sessionId, String text, int waitSeconds) {
        return as(key).body(Map.of("text", text))
                .post("/v1/sessions/" + sessionId + "/messages?wait=" + waitSeconds).then();
    }
}
