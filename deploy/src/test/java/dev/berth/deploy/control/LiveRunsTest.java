package dev.berth.deploy.control;

import static dev.berth.deploy.teams.TeamApi.admin;
import static dev.berth.deploy.teams.TeamApi.define;
import static dev.berth.deploy.teams.TeamApi.marker;
import static dev.berth.deploy.teams.TeamApi.openSession;
import static dev.berth.deploy.teams.TeamApi.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /v1/runs: the tenant's live runs by status, age and cost, paged; bad parameters are 400 problems. */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class LiveRunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void liveRunsAreListedByStatusAgeAndCostWithTheirSessionAgentAndUsage() throws Exception {
        // Given a running run (its model is slow), a run queued behind it, and a run paused for its client
        define("lr-slow", Map.of());
        define("lr-desk", Map.of("clientTools", List.of(Map.of("name", "pick", "description", "pick one",
                "parameters", Map.of("type", "object")))));
        BerthTestResource.fake().route(marker("lr-slow"), FakeReply.text("late").withLatency(Duration.ofSeconds(60)));
        BerthTestResource.fake().route(marker("lr-desk"), FakeReply.toolCall("pick", "{}"));
        String slowSession = openSession("lr-slow");
        String running = send(slowSession, "first", 0).statusCode(202).extract().path("id");
        String queued = send(slowSession, "second", 0).statusCode(202).extract().path("id");
        String deskSession = openSession("lr-desk");
        String paused = send(deskSession, "choose", 30).body("status", equalTo("requires_action")).extract().path("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> ids("?status=running").contains(running));

        // When an operator lists them
        JsonNode all = page("?limit=100");
        // Then each live run is there once, with its session, agent, status, age and cost
        JsonNode pausedItem = item(all, paused);
        assertThat(pausedItem.get("sessionId").asText()).isEqualTo(deskSession);
        assertThat(pausedItem.get("agent").get("name").asText()).isEqualTo("lr-desk");
        assertThat(pausedItem.get("status").asText()).isEqualTo("requires_action");
        assertThat(pausedItem.get("modelCalls").asInt()).isEqualTo(1);
        assertThat(pausedItem.get("totalTokens").asLong()).isPositive();
        assertThat(pausedItem.get("ageSeconds").asLong()).isNotNegative();
        assertThat(item(all, queued).get("status").asText()).isEqualTo("queued");
        // and a status filter keeps only those statuses
        assertThat(ids("?status=running")).contains(running).doesNotContain(queued, paused);
        assertThat(ids("?status=queued,requires_action")).contains(queued, paused).doesNotContain(running);
        // and olderThan leaves out the young ones
        assertThat(ids("?olderThan=PT1H")).doesNotContain(running, queued, paused);
        // and by cost, the paused run (one model call) comes before the queued one (none)
        List<String> byCost = ids("?orderBy=cost&status=queued,requires_action&limit=100");
        assertThat(byCost.indexOf(paused)).isLessThan(byCost.indexOf(queued));
        // and by age (the default) the oldest comes first
        List<String> byAge = ids("?limit=100");
        assertThat(byAge.indexOf(running)).isLessThan(byAge.indexOf(queued));
        // and pages of one walk the same list without repeats
        for (String order : List.of("age", "cost")) {
            List<String> walked = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode one = page("?limit=1&orderBy=" + order + (cursor == null ? "" : "&cursor=" + cursor));
                one.get("items").forEach(i -> walked.add(i.get("id").asText()));
                cursor = one.path("nextCursor").isNull() || one.path("nextCursor").isMissingNode() ? null
                        : one.get("nextCursor").asText();
            } while (cursor != null && walked.size() < 200);
            assertThat(walked).as(order).doesNotHaveDuplicates().contains(running, queued, paused);
        }
        admin().post("/v1/runs/" + running + "/cancel").then().statusCode(200);
        admin().post("/v1/runs/" + queued + "/cancel").then().statusCode(200);
        admin().post("/v1/runs/" + paused + "/cancel").then().statusCode(200);
    }

    @Test
    void badParametersAreRefusedWithAValidationProblem() {
        for (String query : List.of("?status=completed", "?status=bogus", "?status=running,", "?olderThan=5m",
                "?olderThan=-PT5M", "?orderBy=price", "?limit=0", "?limit=101", "?limit=x", "?cursor=garbage",
                "?orderBy=cost&cursor=YWdlOjE6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw")) {
            admin().get("/v1/runs" + query).then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://berth.dev/problems/validation"));
        }
    }

    private static JsonNode page(String query) throws Exception {
        return JSON.readTree(admin().get("/v1/runs" + query).then().statusCode(200).extract().asString());
    }

    private static List<String> ids(String query) throws Exception {
        List<String> ids = new ArrayList<>();
        page(query + (query.contains("limit") ? "" : "&limit=100")).get("items").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    private static JsonNode item(JsonNode page, String id) {
        List<JsonNode> found = new ArrayList<>();
        page.get("items").forEach(i -> {
            if (i.get("id").asText().equals(id)) {
                found.add(i);
            }
        });
        assertThat(found).as("run " + id + " listed").hasSize(1);
        return found.getFirst();
    }
}
