package dev.berth.deploy.input;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deploy.BerthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/agents} lists every agent of the tenant once, at its latest version, page by page. */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class AgentListTest {

    @Test
    void everyAgentIsListedAtItsLatestVersionAcrossPages() {
        // Given a tenant of its own with three agents of 3, 1 and 2 versions
        String key = as(BerthTestResource.ADMIN_KEY).body(Map.of("name", "lister")).post("/v1/tenants")
                .then().statusCode(201).extract().path("adminKey.key");
        Map<String, Integer> versions = Map.of("alpha", 3, "beta", 1, "gamma", 2);
        versions.forEach((name, count) -> {
            for (int v = 1; v <= count; v++) {
                as(key).body(Map.of("instructions", name + " v" + v, "model", "m")).put("/v1/agents/" + name)
                        .then().statusCode(201);
            }
        });

        // When it lists its agents two at a time
        List<Map<String, Object>> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = as(key).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/agents").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 5);

        // Then it sees each of the three once, at its latest version, in two pages
        assertThat(pages).isEqualTo(2);
        assertThat(seen).extracting(agent -> agent.get("name")).containsExactly("alpha", "beta", "gamma");
        assertThat(seen).extracting(agent -> agent.get("version")).containsExactly(3, 1, 2);
        assertThat(seen).extracting(agent -> agent.get("instructions")).containsExactly("alpha v3", "beta v1",
                "gamma v2");
    }

    @Test
    void aPageSizeOutsideItsRangeIsRefused() {
        as(BerthTestResource.ADMIN_KEY).queryParam("limit", 0).get("/v1/agents").then().statusCode(400)
                .contentType("application/problem+json");
        as(BerthTestResource.ADMIN_KEY).queryParam("limit", 101).get("/v1/agents").then().statusCode(400)
                .contentType("application/problem+json");
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }
}
