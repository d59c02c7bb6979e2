package dev.berth.deploy.memory;

import static dev.berth.deploy.memory.MemoryApi.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.berth.deploy.BerthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention: per-agent session expiry, and expired memories deleted by the sweeper. */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class RetentionTest {

    @Test
    void anAgentsSessionTtlAppliesWhenTheClientGivesNone() {
        MemoryApi.defineAgent("retained", Map.of("sessionTtlSeconds", 3600));
        MemoryApi.defineAgent("forever", Map.of());

        String retained = MemoryApi.openSession("retained", "ret-actor");
        String forever = MemoryApi.openSession("forever", "ret-actor");

        String expiresAt = admin().get("/v1/sessions/" + retained).then().statusCode(200)
                .body("expiresAt", notNullValue()).extract().path("expiresAt");
        assertThat(Instant.parse(expiresAt)).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
        admin().get("/v1/sessions/" + forever).then().statusCode(200).body("expiresAt", nullValue());
    }

    @Test
    void expiredMemoriesAreDeletedByTheSweeper() throws Exception {
        // Given a memory that expires in a second and one that does not
        String expiring = admin().body(Map.of("namespace", "actors/ret-mem", "content", "Short-lived fact.",
                "ttlSeconds", 1)).post("/v1/memories").then().statusCode(201).extract().path("id");
        String lasting = admin().body(Map.of("namespace", "actors/ret-mem", "content", "Lasting fact."))
                .post("/v1/memories").then().statusCode(201).extract().path("id");

        // Then the sweeper deletes the expired row itself, and keeps the other
        await().atMost(Duration.ofSeconds(20)).until(() -> !exists(expiring));
        assertThat(exists(lasting)).isTrue();
        admin().get("/v1/memories/" + expiring).then().statusCode(404);
    }

    private static boolean exists(String id) throws Exception {
        try (Connection connection = BerthTestResource.database().connect();
                PreparedStatement query = connection.prepareStatement("select count(*) from memories where id = ?")) {
            query.setObject(1, UUID.fromString(id));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }
}
