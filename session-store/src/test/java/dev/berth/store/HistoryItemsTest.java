package dev.berth.store;

import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.error.BerthException;
import dev.berth.runtime.error.ConflictException;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.service.HistoryService;
import dev.berth.runtime.service.HistoryService.Item;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * History that no run made: berth_append_history (R__96_history_items.sql) through {@link PgEventLog},
 * and the visible-items read that leaves hidden items out (ADR 0039).
 */
class HistoryItemsTest {
    private StoreFixture store;
    private PgEventLog log;
    private HistoryService history;

    @BeforeEach
    void migrated() {
        store = new StoreFixture();
        log = new PgEventLog(store.pool);
        history = new HistoryService(log);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<Event> append(UUID session, List<Item> items) {
        return history.append(store.tenant, session, items).await().atMost(WAIT);
    }

    @Test
    void itemsBecomeRunlessEventsOfTheKindsARunWritesWithTheNextSequenceNumbers() {
        // Given a session with one finished run (events 1 and 2)
        UUID session = store.session("enqueue");
        Run run = store.submit(session, "hello");
        store.runs.commit(store.claim(run.id()).lease(), StepCommit.to(RunStatus.COMPLETED).event(StoreFixture.answer("hi")).output("hi").build(),
                StoreFixture.LEASE).await().atMost(WAIT);

        // When a client adds a user message, an answer, two calls and their outputs
        List<Event> written = append(session, List.of(new Item.UserMessage("what is 2+2?"),
                new Item.AssistantMessage("4"), new Item.FunctionCall("c1", "lookup", "{\"q\":1}"),
                new Item.FunctionCall("c2", "lookup", "{}"), new Item.FunctionCallOutput("c1", "one"),
                new Item.FunctionCallOutput("c2", "two")));

        // Then they follow the run's events, the two calls as one answer, with no run and marked as history
        assertThat(written).extracting(Event::seq).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(store.types(session)).isEqualTo(
                "user.message,assistant.message,user.message,assistant.message,assistant.message,tool.result,tool.result");
        assertThat(store.query("select count(*) from events where session_id = '" + session + "' and run_id is null"))
                .isEqualTo("5");
        assertThat(store.query("select last_seq from sessions where id = '" + session + "'")).isEqualTo("7");
        assertThat(written.get(2).data().path("toolCalls")).hasSize(2);
        assertThat(written.get(3).data().path("name").asText()).isEqualTo("lookup");
        assertThat(written).allSatisfy(e -> assertThat(e.data().path("source").asText()).isEqualTo("history"));
    }

    @Test
    void itemsAreRefusedWhileARunIsLiveAndNothingIsWritten() {
        // Given a session whose run is queued
        UUID session = store.session("enqueue");
        store.submit(session, "working");

        // When a client adds history
        Throwable refused = catchThrowable(() -> append(session, List.of(new Item.UserMessage("in between"))));

        // Then it is refused as busy and the log is unchanged
        assertThat(refused).isInstanceOf(ConflictException.class);
        assertThat(((BerthException) refused).problemType()).isEqualTo("session-busy");
        assertThat(store.types(session)).isEqualTo("user.message");
    }

    @Test
    void unknownAndExpiredSessionsAndBadItemsWriteNothing() {
        UUID expired = store.session("enqueue");
        store.update("update sessions set expires_at = now() - interval '1 second' where id = '" + expired + "'");

        assertThat(catchThrowable(() -> append(UUID.randomUUID(), List.of(new Item.UserMessage("x")))))
                .isInstanceOf(NotFoundException.class);
        assertThat(catchThrowable(() -> append(expired, List.of(new Item.UserMessage("x")))))
                .isInstanceOf(ConflictException.class).hasMessageContaining("expired");
        assertThat(catchThrowable(() -> append(expired, List.of(new Item.UserMessage("ok"), new Item.UserMessage(null)))))
                .isInstanceOf(ValidationException.class);
        assertThat(store.query("select count(*) from events where session_id = '" + expired + "'")).isEqualTo("0");
    }

    @Test
    void aHiddenItemIsLeftOutOfTheVisibleItemsButStaysInTheLog() {
        // Given three messages
        UUID session = store.session("enqueue");
        append(session, List.of(new Item.UserMessage("one"), new Item.AssistantMessage("two"),
                new Item.UserMessage("three")));

        // When the second is hidden, while another session's mark names the same sequence number
        UUID other = store.session("enqueue");
        append(other, List.of(new Item.UserMessage("a"), new Item.UserMessage("b")));
        history.hide(store.tenant, other, 1, "item", "x").await().atMost(WAIT);
        Event mark = history.hide(store.tenant, session, 2, "item", "msg_2").await().atMost(WAIT);

        // Then it is gone from the visible items, both ways, and the mark is not an item itself
        assertThat(mark.type()).isEqualTo(EventType.ITEM_HIDDEN);
        assertThat(history.visible(store.tenant, session, 0, false, 10).await().atMost(WAIT))
                .extracting(Event::seq).containsExactly(1L, 3L);
        assertThat(history.visible(store.tenant, session, Long.MAX_VALUE, true, 10).await().atMost(WAIT))
                .extracting(Event::seq).containsExactly(3L, 1L);
        assertThat(history.visible(store.tenant, session, 2, false, 1).await().atMost(WAIT))
                .extracting(Event::seq).containsExactly(3L);
        // and the log still holds it
        assertThat(store.types(session)).isEqualTo("user.message,assistant.message,user.message,item.hidden");
        // and it cannot be hidden (nor read) again
        assertThat(catchThrowable(() -> history.hide(store.tenant, session, 2, "item", "msg_2").await().atMost(WAIT)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aMarkIsAppendedWhileARunIsLive() {
        // Given an item, then a queued run
        UUID session = store.session("enqueue");
        append(session, List.of(new Item.UserMessage("old")));
        store.submit(session, "new");

        // When the item is hidden
        history.hide(store.tenant, session, 1, "item", "msg_1").await().atMost(WAIT);

        // Then the mark follows the run's input
        assertThat(store.types(session)).isEqualTo("user.message,user.message,item.hidden");
    }
}
