package dev.berth.store;

import static dev.berth.store.StoreFixture.LEASE;
import static dev.berth.store.StoreFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.run.ActionKind;
import dev.berth.runtime.run.ClaimedRun;
import dev.berth.runtime.run.PendingAction;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.runtime.run.StepCommit;
import dev.berth.runtime.run.team.ChildStart;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Teams in the store (ADR 0009): a waiting parent woken by its last child (berth_wake_parent,
 * berth_hand_over), and a cancelled tree (berth_cancel_tree).
 */
class TeamStoreTest {
    private static final int CHILDREN = 12;

    private StoreFixture store;

    @BeforeEach
    void migrated() {
        store = new StoreFixture(CHILDREN + 2);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theLastOfManyChildrenSettlingAtOnceWakesTheParentExactlyOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            // Given a parent waiting for twelve children, each claimed and about to commit its final answer
            UUID session = store.session("enqueue");
            Run parent = store.submit(session, "fan out");
            List<ClaimedRun> claimed = claimChildren(startChildren(store.claim(parent.id()), CHILDREN));
            try (Connection listener = store.database.connect()) {
                listener.createStatement().execute("listen berth_runs");

                // When all but two commit at the same moment, each on its own connection
                settleAtOnce(claimed.subList(0, CHILDREN - 2));
                // Then the parent still waits, unwoken
                assertThat(store.status(parent.id())).as("round %d", round).isEqualTo("waiting");
                assertThat(wakeUps(listener, parent.id())).as("round %d", round).isZero();

                // When the last two commit at the same moment
                settleAtOnce(claimed.subList(CHILDREN - 2, CHILDREN));

                // Then every call is settled, the parent's log has each result, and it is queued again ...
                assertThat(store.query("select count(*) from subagent_calls where parent_run_id = '" + parent.id()
                        + "' and status = 'completed'")).isEqualTo(String.valueOf(CHILDREN));
                assertThat(store.query("select count(*) from events where session_id = '" + session
                        + "' and type = 'subagent.finished'")).isEqualTo(String.valueOf(CHILDREN));
                assertThat(store.status(parent.id())).as("round %d", round).isEqualTo("queued");
                // ... exactly once: one wake-up notification for the parent
                assertThat(wakeUps(listener, parent.id())).as("round %d", round).isEqualTo(1);
            }
            store.runs.requestCancel(store.tenant, parent.id()).await().atMost(WAIT);
        }
    }

    /** Commits each child's final answer at the same moment, each on its own thread and pool connection. */
    private void settleAtOnce(List<ClaimedRun> children) {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Long>> commits = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(children.size());
        try {
            for (ClaimedRun child : children) {
                commits.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return store.runs.commit(child.lease(), StepCommit.to(RunStatus.COMPLETED)
                            .event(StoreFixture.answer("part")).output("part").build(), LEASE).await().atMost(WAIT);
                }, threads));
            }
            go.countDown();
            commits.forEach(CompletableFuture::join);
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void aCancelledTreeStopsEveryLiveDescendant() {
        // Given a waiting root with three children: one running, one waiting for a queued grandchild,
        // one paused for a client's output
        UUID session = store.session("enqueue");
        Run root = store.submit(session, "team");
        List<ChildStart> children = startChildren(store.claim(root.id()), 3);
        List<ClaimedRun> claimed = claimChildren(children);
        ClaimedRun running = claimed.get(0);
        String grandchild = startChildren(claimed.get(1), 1).getFirst().runId().toString();
        store.askForTools(claimed.get(2), "client_call");
        store.runs.pause(claimed.get(2).lease(), StepCommit.to(RunStatus.REQUIRES_ACTION)
                .pending(Map.of("client_call", 0)).build(), List.of(PendingAction.unanswered("client_call",
                        ActionKind.CLIENT_TOOL, "lookup", "{}")), LEASE).await().atMost(WAIT);
        String pausedChild = children.get(2).runId().toString();

        // When the root is cancelled
        Run after = store.runs.requestCancel(store.tenant, root.id()).await().atMost(WAIT).orElseThrow();

        // Then every parked run of the tree is cancelled at once, the running one is asked to stop,
        // and nothing of it is live but that one
        assertThat(after.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(store.status(children.get(1).runId())).isEqualTo("cancelled");
        assertThat(store.query("select status from runs where id = '" + pausedChild + "'")).isEqualTo("cancelled");
        assertThat(store.query("select status from runs where id = '" + grandchild + "'")).isEqualTo("cancelled");
        assertThat(store.query("select status || ':' || cancel_requested from runs where id = '"
                + running.run().id() + "'")).isEqualTo("running:true");
        assertThat(store.query("select count(*) from runs where berth_is_live(status)")).isEqualTo("1");
        // and each cancelled child told its parent, whose open calls got results: valid logs everywhere
        assertThat(store.query("select string_agg(status, ',' order by call_id) from subagent_calls where parent_run_id = '"
                + root.id() + "'")).isEqualTo("running,cancelled,cancelled");
        assertThat(store.conversationCheck(session)).isNull();
        assertThat(store.conversationCheck(children.get(1).sessionId())).isNull();
        assertThat(store.conversationCheck(children.get(2).sessionId())).isNull();
        // When the running child's owner ends it, Then the root's last call settles and nothing wakes
        store.runs.commit(running.lease(), StepCommit.to(RunStatus.CANCELLED).build(), LEASE).await().atMost(WAIT);
        assertThat(store.query("select count(*) from subagent_calls where status = 'running'")).isEqualTo("0");
        assertThat(store.status(root.id())).isEqualTo("cancelled");
    }

    /** The parent asks for sub-agents and waits: the step, the child sessions and runs, in one transaction. */
    private List<ChildStart> startChildren(ClaimedRun parent, int count) {
        String[] calls = new String[count];
        List<ChildStart> children = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls[i] = "sub_" + i;
            children.add(new ChildStart(UUID.randomUUID(), UUID.randomUUID(), calls[i], "a", 1, "part " + i));
        }
        store.askForTools(parent, calls);
        Map<String, Integer> pending = new LinkedHashMap<>();
        for (String call : calls) {
            pending.put(call, 1);
        }
        StepCommit wait = StepCommit.to(RunStatus.WAITING).pending(pending).build();
        store.teams.startChildren(parent.lease(), wait, children, LEASE).await().atMost(WAIT);
        return children;
    }

    private List<ClaimedRun> claimChildren(List<ChildStart> children) {
        return store.claimAll(children.stream().map(ChildStart::runId).toList());
    }

    private static int wakeUps(Connection listener, UUID parent) throws Exception {
        // A round trip delivers what was notified before it; the commits have all returned by now.
        listener.createStatement().execute("select 1");
        PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications();
        int count = 0;
        for (PGNotification notification : notifications == null ? new PGNotification[0] : notifications) {
            if (notification.getParameter().equals(parent.toString())) {
                count++;
            }
        }
        return count;
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
