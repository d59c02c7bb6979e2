package dev.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What {@link ClassIsolation} does between test classes, shown within one: work an earlier class
 * left going is stopped and the fake model forgets that class's script, so the next class's
 * scripted replies go to its own runs only.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class ClassIsolationTest {

    @Test
    void workLeftByAnEarlierClassIsStoppedAndItsScriptForgottenBeforeTheNextClass() throws Exception {
        // Given what a careless class leaves behind: a run in a long model call, one queued behind it, and a spare reply
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "careless-" + tag);
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "careless-" + tag, "max");
        BerthTestResource.fake().enqueue(FakeReply.text("slow").withLatency(Duration.ofSeconds(60)),
                FakeReply.text("a reply the next class must not get"), FakeReply.text("spare"));
        String running = Api.send(BerthTestResource.ADMIN_KEY, session, "first", 0).statusCode(202).extract().path("id");
        String queued = Api.send(BerthTestResource.ADMIN_KEY, session, "second", 0).statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> BerthTestResource.fake().requests().size() == 1);

        // When the next class begins
        new ClassIsolation().beforeClass(ClassIsolationTest.class);

        // Then nothing is live, both runs are cancelled, and the fake holds no script and no requests of before
        assertThat(count("select count(*) from runs where status in ('queued', 'running', 'waiting')")).isZero();
        assertThat(count("select count(*) from runs where status = 'cancelled' and id in ('" + running + "', '"
                + queued + "')")).isEqualTo(2);
        assertThat(BerthTestResource.fake().pendingReplies()).isZero();
        assertThat(BerthTestResource.fake().requests()).isEmpty();
        // and a reply scripted now goes to a run of now
        BerthTestResource.fake().enqueue(FakeReply.text("mine"));
        String next = Api.openSession(BerthTestResource.ADMIN_KEY, "careless-" + tag, "max");
        Api.send(BerthTestResource.ADMIN_KEY, next, "hello", 20).statusCode(200)
                .body("output", org.hamcrest.Matchers.equalTo("mine"));
        assertThat(BerthTestResource.fake().requests()).hasSize(1);
    }

    private static long count(String query) throws Exception {
        try (Connection sql = BerthTestResource.database().connect(); var rows = sql.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
