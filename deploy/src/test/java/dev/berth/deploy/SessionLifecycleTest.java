package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.fake.FakeReply;
import dev.berth.runtime.engine.RunEngine;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions end to end through HTTP against real PostgreSQL: deleting a session whose run is in
 * the middle of a model call leaves nothing behind and nothing running; the session listing
 * pages without duplicates or gaps while sessions are created.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class SessionLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The model call the run is in when its session is deleted: far longer than the test waits. */
    private static final Duration SLOW = Duration.ofSeconds(30);
    /** berth.engine.heartbeat-interval of the tests: the owner learns within one that its run is gone. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    @Inject
    RunEngine engine;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void deletingASessionWithARunInItsModelCallLeavesNothingBehindAndNothingRunning() throws Exception {
        // Given a session whose run waits for a slow model call
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "slowpoke-" + tag);
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "slowpoke-" + tag, "lou");
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.activeRuns() == 0);
        BerthTestResource.fake().enqueue(FakeReply.text("too late").withLatency(SLOW));
        String run = Api.send(BerthTestResource.ADMIN_KEY, session, "Take your time", 0).statusCode(202)
                .extract().path("id");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> BerthTestResource.fake().requests().size() == 1 && engine.activeRuns() == 1);

        // When the session is deleted
        Instant deleted = Instant.now();
        admin().delete("/v1/sessions/" + session).then().statusCode(204);

        // Then the run's execution stops within a heartbeat or two, long before its model call would have answered
        await().atMost(HEARTBEAT.multipliedBy(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> engine.activeRuns() == 0);
        assertThat(Duration.between(deleted, Instant.now())).isLessThan(SLOW);
        // and the session, its run, events, tool calls and lease are gone, and it takes no input
        admin().get("/v1/runs/" + run).then().statusCode(404);
        admin().get("/v1/sessions/" + session).then().statusCode(404);
        admin().body(Map.of("text", "hello?")).post("/v1/sessions/" + session + "/messages").then().statusCode(404);
        for (String table : List.of("sessions where id", "runs where session_id", "events where session_id",
                "tool_calls where session_id")) {
            assertThat(count("select count(*) from " + table + " = '" + session + "'")).as(table).isZero();
        }
        // and nothing the deleted run did afterwards reached the database (no model answer was committed anywhere)
        assertThat(count("select count(*) from events where run_id = '" + run + "'")).isZero();
        assertThat(BerthTestResource.fake().requests()).hasSize(1);
    }

    @Test
    void theSessionListingPagesWithoutDuplicatesOrGapsWhileSessionsAreCreated() throws Exception {
        // Given seven sessions of one actor
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String actor = "pager-" + tag;
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "pager-" + tag);
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            existing.add(Api.openSession(BerthTestResource.ADMIN_KEY, "pager-" + tag, actor));
        }

        // When the listing is read three at a time, and two more sessions are opened after each page
        List<String> seen = new ArrayList<>();
        List<String> openedMeanwhile = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = JSON.readTree(admin().queryParams(cursor == null
                            ? Map.of("actorId", actor, "limit", 3) : Map.of("actorId", actor, "limit", 3, "cursor", cursor))
                    .get("/v1/sessions").then().statusCode(200).extract().asString());
            page.path("items").forEach(item -> seen.add(item.path("id").asText()));
            assertThat(page.path("items").size()).isLessThanOrEqualTo(3);
            cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode()
                    ? null : page.path("nextCursor").asText();
            for (int i = 0; i < 2; i++) {
                openedMeanwhile.add(Api.openSession(BerthTestResource.ADMIN_KEY, "pager-" + tag, actor));
            }
            pages++;
        } while (cursor != null && pages < 10);

        // Then every session that existed before the first page is listed exactly once, newest first,
        // and sessions opened while paging (newer than the first page) do not slip into later pages
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(existing.reversed());
        assertThat(pages).isEqualTo(3);
        Set<String> meanwhile = new HashSet<>(openedMeanwhile);
        assertThat(seen).noneMatch(meanwhile::contains);
        // and a fresh listing from the top shows the newest session first
        JsonNode fresh = JSON.readTree(admin().queryParams(Map.of("actorId", actor, "limit", 1)).get("/v1/sessions")
                .then().statusCode(200).extract().asString());
        assertThat(fresh.path("items").get(0).path("id").asText()).isEqualTo(openedMeanwhile.getLast());
    }

    private static long count(String query) throws Exception {
        try (Connection sql = BerthTestResource.database().connect(); var rows = sql.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
