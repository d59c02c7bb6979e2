package dev.berth.store;

import static dev.berth.store.StoreFixture.LEASE;
import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.Usage;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.error.FencedOutException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StatePatch;
import dev.berth.runtime.run.StepCommit;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** berth_commit_step (R__20_step_commit.sql) through PgRunStore: each transition of a step, and its fence. */
class StepCommitStoreTest {
    private StoreFixture store;

    @BeforeEach
    void migrated() {
        store = new StoreFixture();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aRunningStepAppendsItsEventsInOrderAndAddsItsUsage() {
        // Given a claimed run
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "hi");
        ClaimedRun claimed = store.claim(run.id());

        // When a step with two events, usage and a started tool call commits
        StepCommit step = StepCommit.to(RunStatus.RUNNING)
                .event(new NewEvent(EventType.ASSISTANT_MESSAGE, DocumentJson.object().put("text", "")
                        .set("toolCalls", DocumentJson.MAPPER.createArrayNode().add(DocumentJson.object().put("id", "c1")
                                .put("name", "lookup").put("arguments", "{}")))))
                .event(new NewEvent("custom.note", DocumentJson.object().put("n", 1)))
                .modelCall(new Usage(10, 5, 2, 1)).pending(Map.of("c1", 1)).started(java.util.Set.of("c1")).build();
        long last = store.runs.commit(claimed.lease(), step, LEASE).await().atMost(WAIT);

        // Then the events follow the input, numbered up to the returned sequence, and the run counts the step
        assertThat(last).isEqualTo(3);
        assertThat(store.types(session)).isEqualTo("user.message,assistant.message,custom.note");
        assertThat(store.query("select step || ':' || model_calls || ':' || input_tokens || ':' || output_tokens || ':'"
                + " || cached_tokens || ':' || reasoning_tokens || ':' || pending_tools::text || ':' || status"
                + " from runs where id = '" + run.id() + "'")).isEqualTo("1:1:10:5:2:1:{\"c1\": 1}:running");
        // and the tool start is recorded at its attempt with its idempotency key, fenced by this lease
        assertThat(store.query("select call_id || ':' || attempt || ':' || idempotency_key || ':' || lease_epoch"
                + " from tool_calls")).isEqualTo("c1:1:" + run.id() + ":c1:" + claimed.lease().epoch());
    }

    @Test
    void aFinalStepCompletesTheRunAndGivesItsLeaseUp() {
        // Given a claimed run
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "hi");
        ClaimedRun claimed = store.claim(run.id());

        // When its final answer commits
        store.runs.commit(claimed.lease(), StepCommit.to(RunStatus.COMPLETED).event(StoreFixture.answer("done"))
                .output("done").build(), LEASE).await().atMost(WAIT);

        // Then it is completed with its output, holds no lease, and has a finish time
        assertThat(store.query("select status || ':' || output || ':' || (lease_owner is null) || ':'"
                + " || (finished_at is not null) from runs where id = '" + run.id() + "'"))
                .isEqualTo("completed:done:true:true");
    }

    @Test
    void aFailedStepRecordsItsError() {
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "hi");
        ClaimedRun claimed = store.claim(run.id());

        store.runs.commit(claimed.lease(), StepCommit.to(RunStatus.FAILED).error(new RunError("boom", "it broke"))
                .build(), LEASE).await().atMost(WAIT);

        assertThat(store.query("select status || ':' || (error ->> 'code') || ':' || (lease_owner is null)"
                + " from runs where id = '" + run.id() + "'")).isEqualTo("failed:boom:true");
    }

    @Test
    void aStepThatEndsTheRunWithCallsOpenAnswersEachBeforeItsOwnEvents() {
        for (RunStatus end : List.of(RunStatus.FAILED, RunStatus.CANCELLED)) {
            // Given a claimed run whose model asked for two calls, still pending
            UUID session = store.session("enqueue");
            Run run = store.submit(session, "hi");
            ClaimedRun claimed = store.claim(run.id());
            store.askForTools(claimed, "c1", "c2");

            // When its engine ends it (timed out, or stopped at a cancel request) with only its own event
            StepCommit.Builder step = end == RunStatus.FAILED
                    ? StepCommit.to(end).error(new RunError("run_timeout", "too long"))
                            .event(new NewEvent(EventType.RUN_FAILED, DocumentJson.object()))
                    : StepCommit.to(end).event(new NewEvent(EventType.RUN_CANCELLED, DocumentJson.object()));
            store.runs.commit(claimed.lease(), step.build(), LEASE).await().atMost(WAIT);

            // Then the store answered each open call, in the model's order, before the run's end, saying why
            String why = end == RunStatus.FAILED ? "run_timeout" : "cancelled";
            assertThat(store.types(session)).as(end.wire()).isEqualTo("user.message,assistant.message,tool.result,"
                    + "tool.result," + (end == RunStatus.FAILED ? EventType.RUN_FAILED : EventType.RUN_CANCELLED));
            assertThat(store.query("select string_agg(payload ->> 'callId' || '=' || (payload ->> 'unanswered'), ','"
                    + " order by seq) from events where type = 'tool.result' and session_id = '" + session + "'"))
                    .as(end.wire()).isEqualTo("c1=" + why + ",c2=" + why);
            // and the log is a conversation a strict endpoint takes, with nothing left pending
            assertThat(store.conversationCheck(session)).as(end.wire()).isNull();
            assertThat(store.query("select pending_tools::text from runs where id = '" + run.id() + "'")).isEqualTo("{}");
        }
    }

    @Test
    void aStaleEpochChangesNothing() {
        // Given a run claimed by A, whose lease expired, taken over by B
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "hi");
        ClaimedRun a = store.claim("owner-a", Duration.ofMillis(200)).getFirst();
        ClaimedRun[] b = new ClaimedRun[1];
        StoreFixture.until("B takes the run over", () -> {
            List<ClaimedRun> claimed = store.claim("owner-b", LEASE);
            b[0] = claimed.isEmpty() ? null : claimed.getFirst();
            return b[0] != null;
        });
        String before = snapshot(session, run.id());

        // When A, unaware, commits a final step that would change every part of the statement
        StepCommit stale = StepCommit.to(RunStatus.COMPLETED).event(StoreFixture.answer("stale")).output("stale")
                .modelCall(new Usage(1, 1, 0, 0)).statePatch(Map.of("k", "v")).build().onState(Map.of());
        Throwable failure = catchThrowable(() -> store.runs.commit(a.lease(), stale, LEASE).await().atMost(WAIT));

        // Then it is fenced out, and the session, its log, the run and the tool starts are as they were
        assertThat(b[0].takeover()).isTrue();
        assertThat(b[0].lease().epoch()).isEqualTo(a.lease().epoch() + 1);
        assertThat(failure).isInstanceOf(FencedOutException.class);
        assertThat(snapshot(session, run.id())).isEqualTo(before);
        // and the current owner still commits
        store.runs.commit(b[0].lease(), StepCommit.to(RunStatus.COMPLETED).event(StoreFixture.answer("fresh"))
                .output("fresh").build(), LEASE).await().atMost(WAIT);
        assertThat(store.status(run.id())).isEqualTo("completed");
    }

    @Test
    void aCommitMadeAgainAfterItsFirstTryLandedWritesNothingAndAnswersAsThatTryWould() {
        // Given a claimed run whose step committed, its answer lost on the way (ADR 0025)
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "hi");
        ClaimedRun claimed = store.claim(run.id());
        StepCommit step = StepCommit.to(RunStatus.RUNNING).event(StoreFixture.answer("once"))
                .modelCall(new Usage(10, 5, 0, 0)).build();
        long first = store.runs.commit(claimed.lease(), step, LEASE).await().atMost(WAIT);
        String before = snapshot(session, run.id());

        // When the engine makes the same commit again, naming the run's steps before it (0)
        long again = store.runs.commitAgain(claimed.lease(), step, 0, LEASE).await().atMost(WAIT);

        // Then nothing is written twice, and the answer is the first try's: the sequence of its event
        assertThat(again).isEqualTo(first);
        assertThat(snapshot(session, run.id())).isEqualTo(before);
        assertThat(store.types(session)).isEqualTo("user.message,assistant.message");
    }

    @Test
    void aCommitMadeAgainWhoseFirstTryDidNotLandIsCommitted() {
        // Given a claimed run with no committed step
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "hi");
        ClaimedRun claimed = store.claim(run.id());

        // When the engine makes a step's commit again (its first try never reached the database)
        long last = store.runs.commitAgain(claimed.lease(), StepCommit.to(RunStatus.COMPLETED)
                .event(StoreFixture.answer("done")).output("done").build(), 0, LEASE).await().atMost(WAIT);

        // Then it is committed as a first try would be
        assertThat(last).isEqualTo(2);
        assertThat(store.query("select status || ':' || step from runs where id = '" + run.id() + "'"))
                .isEqualTo("completed:1");
    }

    @Test
    void aCommitMadeAgainUnderALeaseTakenOverIsFencedEvenIfItsFirstTryLanded() {
        // Given A's step committed under its lease, which then expired and B took over
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "hi");
        ClaimedRun a = store.claim("owner-a", Duration.ofMillis(200)).getFirst();
        StepCommit step = StepCommit.to(RunStatus.RUNNING).event(StoreFixture.answer("by A")).build();
        store.runs.commit(a.lease(), step, Duration.ofMillis(200)).await().atMost(WAIT);
        StoreFixture.until("B takes the run over", () -> !store.claim("owner-b", LEASE).isEmpty());
        String before = snapshot(session, run.id());

        // When A makes that commit again after an unknown outcome, and again naming a step count that did not land
        Throwable landed = catchThrowable(() -> store.runs.commitAgain(a.lease(), step, 0, LEASE).await().atMost(WAIT));
        Throwable notLanded = catchThrowable(() -> store.runs.commitAgain(a.lease(), step, 1, LEASE).await()
                .atMost(WAIT));

        // Then both are fenced out: only the lease that wrote the step may take it for its own
        assertThat(landed).isInstanceOf(FencedOutException.class);
        assertThat(notLanded).isInstanceOf(FencedOutException.class);
        assertThat(snapshot(session, run.id())).isEqualTo(before);
    }

    @Test
    void theSessionStateIsTheStepsMergePatchAppliedOnceAndReadBackByTheNextClaim() {
        // Given a session whose state has nested objects, a list and a scalar
        UUID session = store.session("enqueue");
        store.update("update sessions set state = '{\"a\": {\"b\": 1, \"x\": 2}, \"d\": 3, \"e\": [1, {\"f\": null}]}'"
                + " where id = '" + session + "'");
        Run run = store.submit(session, "hi");
        ClaimedRun claimed = store.claim(run.id());

        // When a step commits a patch that removes a nested key and a top-level one, adds a nested one,
        // replaces a list and keeps a null inside it (RFC 7386)
        Map<String, Object> nested = new HashMap<>();
        nested.put("b", null);
        nested.put("c", Map.of("deep", true));
        Map<String, Object> patch = new HashMap<>();
        patch.put("a", nested);
        patch.put("d", null);
        patch.put("g", java.util.Arrays.asList(1, null));
        StepCommit step = StepCommit.to(RunStatus.RUNNING).statePatch(patch).build().onState(claimed.sessionState());
        store.runs.commit(claimed.lease(), step, LEASE).await().atMost(WAIT);

        // Then PostgreSQL holds exactly the merge patch's result, the one StatePatch computes
        JsonNode expected = DocumentJson.readObject("{\"a\": {\"x\": 2, \"c\": {\"deep\": true}}, \"e\": [1, {\"f\": null}],"
                + " \"g\": [1, null]}");
        JsonNode stored = DocumentJson.readObject(store.query("select state::text from sessions where id = '" + session + "'"));
        assertThat(stored).isEqualTo(expected);
        assertThat((JsonNode) DocumentJson.MAPPER.valueToTree(StatePatch.apply(claimed.sessionState(), patch))).isEqualTo(expected);
        // and a takeover's claim hands the same state to the next owner
        store.runs.release(claimed.lease()).await().atMost(WAIT);
        ClaimedRun next = store.claim(run.id());
        assertThat((JsonNode) DocumentJson.MAPPER.valueToTree(next.sessionState())).isEqualTo(expected);
    }

    @Test
    void theRfc7386ExamplesHoldOnTheStateThatPostgresqlStores() {
        // Given the test cases of RFC 7386's appendix A that patch an object with an object
        String[][] cases = {
            {"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
            {"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"},
            {"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
            {"{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"},
            {"{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
            {"{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}"},
            {"{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"},
            {"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"},
            {"{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"},
            {"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"},
        };
        UUID session = store.session("enqueue");
        for (String[] example : cases) {
            store.update("update sessions set state = '" + example[0] + "' where id = '" + session + "'");
            Run run = store.submit(session, "patch");
            ClaimedRun claimed = store.claim(run.id());
            // When a step commits the patch and the run ends
            StepCommit step = StepCommit.to(RunStatus.COMPLETED).output("ok").statePatch(DocumentJson.readMap(example[1]))
                    .build().onState(claimed.sessionState());
            store.runs.commit(claimed.lease(), step, LEASE).await().atMost(WAIT);
            // Then the stored state is the RFC's result
            assertThat(DocumentJson.readObject(store.query("select state::text from sessions where id = '" + session + "'")))
                    .as("%s patched with %s", example[0], example[1]).isEqualTo(DocumentJson.readObject(example[2]));
        }
    }

    private String snapshot(UUID session, UUID run) {
        return store.query("select s.last_seq || '|' || s.state::text || '|' || r.status || '|' || r.step || '|'"
                + " || r.lease_owner || '|' || r.lease_epoch || '|' || r.model_calls || '|' || coalesce(r.output, '') || '|'"
                + " || (select count(*) from events e where e.session_id = s.id) || '|'"
                + " || (select count(*) from tool_calls t where t.run_id = r.id)"
                + " from sessions s join runs r on r.session_id = s.id where s.id = '" + session + "' and r.id = '"
                + run + "'");
    }
}
