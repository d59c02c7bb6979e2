package dev.berth.store;

import static dev.berth.store.StoreFixture.LEASE;
import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.model.ResponseFormat;
import dev.berth.model.ToolChoice;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.NewEvent;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunOptions;
import dev.berth.runtime.run.Submission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** runs.options (V18), written by berth_submit and berth_submit_keyed (R__10) and read with every run (ADR 0036). */
class RunOptionsStoreTest {
    private static final RunOptions OPTIONS = new RunOptions("Answer in French.",
            List.of(new ClientTool("get_weather", "The weather", DocumentJson.object().put("type", "object"))),
            new ToolChoice.Function("get_weather"), false, 64, 0.2,
            new ResponseFormat("forecast", DocumentJson.object().put("type", "object"), true),
            Map.of("ticket", "T-42"));

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
    void theOptionsAreStoredByTheSubmissionAndReadBackByFindAndClaim() {
        // Given a session
        UUID session = store.session("enqueue");

        // When input is submitted with options
        Run submitted = submit(session, OPTIONS, Optional.empty());

        // Then the run the statement returns, the run found later and the run claimed all carry them
        assertThat(submitted.options()).isEqualTo(OPTIONS);
        assertThat(store.runs.find(store.tenant, submitted.id()).await().atMost(WAIT).orElseThrow().options())
                .isEqualTo(OPTIONS);
        ClaimedRun claimed = store.claim(submitted.id());
        assertThat(claimed.run().options()).isEqualTo(OPTIONS);
        assertThat(store.query("select options ->> 'instructions' from runs where id = '" + submitted.id() + "'"))
                .isEqualTo("Answer in French.");
    }

    @Test
    void aRunWithoutOptionsStoresNullAndReadsAsNone() {
        UUID session = store.session("enqueue");

        Run run = store.submit(session, "plain");

        assertThat(run.options()).isEqualTo(RunOptions.NONE);
        assertThat(store.query("select options is null from runs where id = '" + run.id() + "'")).isEqualTo("t");
        assertThat(store.claim(run.id()).run().options()).isEqualTo(RunOptions.NONE);
    }

    @Test
    void aKeyedSubmissionStoresItsOptionsInTheSameStatement() {
        UUID session = store.session("enqueue");
        RequestKey key = new RequestKey("k-" + UUID.randomUUID(), "fp", Duration.ofHours(1), Duration.ofSeconds(1));

        Run run = submit(session, OPTIONS, Optional.of(key));

        assertThat(store.runs.find(store.tenant, run.id()).await().atMost(WAIT).orElseThrow().options())
                .isEqualTo(OPTIONS);
    }

    @Test
    void aRefusedSubmissionWritesNoRunAndNoOptions() {
        // Given no such session
        UUID missing = UUID.randomUUID();

        Throwable refused = catchThrowable(() -> submit(missing, OPTIONS, Optional.empty()));

        assertThat(refused).isInstanceOf(NotFoundException.class);
        assertThat(store.query("select count(*) from runs where options is not null")).isEqualTo("0");
    }

    @Test
    void thePreviousReleasesSignaturesStillSubmitWithoutOptions() {
        // Given a session, and a process of the previous release calling the five- and nine-argument forms
        UUID session = store.session("enqueue");
        UUID plain = UUID.randomUUID();
        UUID keyed = UUID.randomUUID();

        store.update("select * from berth_submit('" + session + "', '" + store.tenant.value() + "', '" + plain
                + "', 'user_message', '{\"text\":\"old\"}')");
        store.update("select * from berth_submit_keyed('" + session + "', '" + store.tenant.value() + "', '" + keyed
                + "', 'user_message', '{\"text\":\"old\"}', 'old-key', 'fp', 3600, 300)");

        // Then both runs are queued, as runs of their agent alone
        assertThat(store.query("select count(*) from runs where id in ('" + plain + "', '" + keyed
                + "') and status = 'queued' and options is null")).isEqualTo("2");
        assertThat(store.claim("owner", LEASE)).extracting(c -> c.run().options()).containsOnly(RunOptions.NONE);
    }

    private Run submit(UUID session, RunOptions options, Optional<RequestKey> key) {
        return store.runs.submit(new Submission(store.tenant, session, UUID.randomUUID(),
                new NewEvent(EventType.USER_MESSAGE, DocumentJson.object().put("text", "hi")), key, options))
                .await().atMost(WAIT);
    }
}
