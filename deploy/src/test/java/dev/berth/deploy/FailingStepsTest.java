package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run whose steps keep failing in the process that runs them (here: the database refuses
 * to store its model answers, through a trigger the test installs on the events table) is
 * given back and claimed again, but only {@code berth.engine.max-attempts} times (default 5)
 * across claims: then it fails with {@code attempts_exhausted} and the last error (ADR 0021).
 * Each claim tries its step 5 times with growing pauses, so a run spends about 5 s per attempt.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class FailingStepsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEP_TRIES_PER_CLAIM = 5;
    private static final int MAX_ATTEMPTS = 5;
    private static final String GIVEN_UP = "berth_runs_given_up_total";
    private static final String REPEATED = "berth_model_calls_repeated_total";

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @AfterEach
    void dropTrigger() throws SQLException {
        try (Connection sql = BerthTestResource.database().connect(); var statement = sql.createStatement()) {
            statement.execute("drop trigger if exists test_refuse_answers on events");
            statement.execute("drop function if exists test_refuse_answers()");
            statement.execute("drop sequence if exists test_refusals");
        }
    }

    @Test
    void aRunWhoseStepsAlwaysFailEndsFailedAfterItsAttemptsInsteadOfBeingClaimedForEver() throws Exception {
        // Given a session whose model answers are refused by the database, every time
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "plain");
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "plain", "fred");
        refuseAnswers(session, Integer.MAX_VALUE);
        double givenUpBefore = counter(GIVEN_UP);
        double repeatedBefore = counter(REPEATED);

        // When a message is sent
        String run = Api.send(BerthTestResource.ADMIN_KEY, session, "Hello?", 0).statusCode(202).extract().path("id");

        // Then after max-attempts claims of five tries each the run fails with the cap's code and the last error
        JsonNode settled = settled(run, Duration.ofSeconds(90));
        assertThat(settled.path("status").asText()).isEqualTo("failed");
        assertThat(settled.path("error").path("code").asText()).isEqualTo("attempts_exhausted");
        assertThat(settled.path("error").path("message").asText())
                .contains(MAX_ATTEMPTS + " failed attempts").contains("refused by the test");
        List<JsonNode> failed = events(session).stream()
                .filter(e -> "run.failed".equals(e.path("type").asText())).toList();
        assertThat(failed).hasSize(1);
        assertThat(failed.getFirst().path("data").path("code").asText()).isEqualTo("attempts_exhausted");
        // and the model was called by each try of each attempt, and never again
        assertThat(BerthTestResource.fake().requests()).hasSize(MAX_ATTEMPTS * STEP_TRIES_PER_CLAIM);
        assertThat(column(run, "lease_epoch")).isEqualTo(String.valueOf(MAX_ATTEMPTS));
        // and the metrics count the claims that gave the run back (not the last, which failed it) and the
        // answers asked of the model again (not the last one's: nobody asks again)
        assertThat(counter(GIVEN_UP) - givenUpBefore).isEqualTo(MAX_ATTEMPTS - 1);
        assertThat(counter(REPEATED) - repeatedBefore).isEqualTo(MAX_ATTEMPTS * STEP_TRIES_PER_CLAIM - 1);
    }

    @Test
    void aCommittedStepSetsTheFailedAttemptsBackToZero() throws Exception {
        // Given a run whose first claim fails all its tries, and whose steps then succeed
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "clocked", "current_time");
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "clocked", "gail");
        refuseAnswers(session, STEP_TRIES_PER_CLAIM);
        BerthTestResource.fake().enqueue(FakeReply.text("refused 1"), FakeReply.text("refused 2"),
                FakeReply.text("refused 3"), FakeReply.text("refused 4"), FakeReply.text("refused 5"),
                FakeReply.toolCall("current_time", "{\"timeZone\":\"UTC\"}"), FakeReply.text("It is noon."));

        double givenUpBefore = counter(GIVEN_UP);
        double repeatedBefore = counter(REPEATED);

        // When a message is sent and the run gets through on its second claim
        String run = Api.send(BerthTestResource.ADMIN_KEY, session, "What time is it?", 0).statusCode(202)
                .extract().path("id");
        JsonNode settled = settled(run, Duration.ofSeconds(30));

        // Then it completes on its second claim (the first gave it back, counted), and its committed
        // steps cleared that failed attempt (the count is 1 only between the two claims, too briefly to watch)
        assertThat(settled.path("status").asText()).isEqualTo("completed");
        assertThat(settled.path("output").asText()).isEqualTo("It is noon.");
        assertThat(column(run, "lease_epoch")).isEqualTo("2");
        assertThat(column(run, "failed_attempts")).isEqualTo("0");
        // and the metrics say so: one run given up, and each of the 5 refused answers asked of the model again
        // (ADR 0025), 4 times by the first claim and once by the second
        assertThat(counter(GIVEN_UP) - givenUpBefore).isEqualTo(1);
        assertThat(counter(REPEATED) - repeatedBefore).isEqualTo(STEP_TRIES_PER_CLAIM);
    }

    /** A counter of this process's Prometheus metrics (management port). */
    private static double counter(String name) {
        String text = io.restassured.RestAssured.given().get(ManagementPort.url("/q/metrics")).then().statusCode(200)
                .extract().asString();
        return text.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(
                line -> Double.parseDouble(line.substring(name.length() + 1))).sum();
    }

    /** The database refuses the first {@code times} model answers of the session (a sequence counts across rollbacks). */
    private static void refuseAnswers(String session, int times) throws SQLException {
        try (Connection sql = BerthTestResource.database().connect(); var statement = sql.createStatement()) {
            statement.execute("create sequence test_refusals");
            statement.execute("""
                    create function test_refuse_answers() returns trigger language plpgsql as $$
                    begin
                        if new.session_id = '%s' and new.type = 'assistant.message' and nextval('test_refusals') <= %d then
                            raise exception 'answer refused by the test';
                        end if;
                        return new;
                    end $$""".formatted(session, times));
            statement.execute("create trigger test_refuse_answers before insert on events "
                    + "for each row execute function test_refuse_answers()");
        }
    }

    private static JsonNode settled(String run, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(admin().get("/v1/runs/" + run).then().statusCode(200).extract().asString()),
                        body -> !List.of("queued", "running").contains(body.path("status").asText()));
    }

    private static List<JsonNode> events(String session) throws Exception {
        JsonNode page = JSON.readTree(admin().get("/v1/sessions/" + session + "/events?limit=500")
                .then().statusCode(200).extract().asString());
        List<JsonNode> events = new java.util.ArrayList<>();
        page.path("items").forEach(events::add);
        return events;
    }

    private static String column(String run, String column) throws SQLException {
        try (Connection sql = BerthTestResource.database().connect(); var statement = sql.prepareStatement(
                "select " + column + "::text from runs where id = ?::uuid")) {
            statement.setString(1, run);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}
