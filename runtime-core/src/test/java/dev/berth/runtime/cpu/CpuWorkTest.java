package dev.berth.runtime.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.UnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CpuWorkTest {
    private static final TenantId A = new TenantId(UUID.randomUUID());
    private static final TenantId B = new TenantId(UUID.randomUUID());
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<CountDownLatch> gates = new ArrayList<>();
    private CpuWork cpu;

    @AfterEach
    void close() {
        gates.forEach(CountDownLatch::countDown);
        if (cpu != null) {
            cpu.close();
        }
    }

    @Test
    void aTenantHoldsAtMostItsShareOfTheThreadsSoAnotherTenantsWorkRunsAtOnce() {
        // Given a pool of 4 threads, half of them per tenant, and tenant A with 6 blocked tasks
        cpu = new CpuWork(4, 0.5, 100, 0);
        CountDownLatch gate = gate();
        List<CompletableFuture<String>> heavy = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            heavy.add(submit(A, () -> blockOn(gate, "a")));
        }
        await().atMost(WAIT).until(() -> cpu.running() == 2);

        // When tenant B submits work
        CompletableFuture<String> light = submit(B, () -> "b");

        // Then B's work runs while A's wait, and A never ran more than two at once
        assertThat(light).succeedsWithin(WAIT).isEqualTo("b");
        // (B's thread counts as running until just after it handed its result over)
        await().atMost(WAIT).until(() -> cpu.running() == 2);
        assertThat(cpu.queued()).isEqualTo(4);
        gate.countDown();
        assertThat(CompletableFuture.allOf(heavy.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
    }

    @Test
    void waitingTenantsAreServedInTurnNotInArrivalOrder() {
        // Given one thread, busy, and ten tasks of A queued before two of B
        cpu = new CpuWork(1, 1.0, 100, 0);
        CountDownLatch gate = gate();
        CompletableFuture<String> blocker = submit(A, () -> blockOn(gate, "first"));
        await().atMost(WAIT).until(() -> cpu.running() == 1);
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "a" + i;
            all.add(submit(A, () -> record(order, name)));
        }
        all.add(submit(B, () -> record(order, "b0")));
        all.add(submit(B, () -> record(order, "b1")));

        // When the thread is free again
        gate.countDown();

        // Then A and B alternate while both wait: B's tasks run second and fourth, not last
        assertThat(blocker).succeedsWithin(WAIT);
        assertThat(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        assertThat(order.subList(0, 4)).containsExactly("a0", "b0", "a1", "b1");
    }

    @Test
    void aFullShareOfTheQueueIsRefusedWithUnavailableAndOtherTenantsStillGetIn() {
        // Given one busy thread and a queue of 4, of which a tenant may fill half
        cpu = new CpuWork(1, 0.5, 4, 0);
        CountDownLatch gate = gate();
        submit(A, () -> blockOn(gate, "running"));
        await().atMost(WAIT).until(() -> cpu.running() == 1);
        CompletableFuture<String> waiting1 = submit(A, () -> "w1");
        CompletableFuture<String> waiting2 = submit(A, () -> "w2");

        // When A submits one more, and B submits one
        CompletableFuture<String> refused = submit(A, () -> "refused");
        CompletableFuture<String> other = submit(B, () -> "b");

        // Then A's third waiting task is refused at once, B's is accepted, and all accepted work completes
        assertThatThrownBy(() -> refused.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(UnavailableException.class);
        assertThat(cpu.queued()).isEqualTo(3);
        gate.countDown();
        assertThat(waiting1).succeedsWithin(WAIT).isEqualTo("w1");
        assertThat(waiting2).succeedsWithin(WAIT).isEqualTo("w2");
        assertThat(other).succeedsWithin(WAIT).isEqualTo("b");
    }

    @Test
    void theResultComesBackOnTheCallersVertxContextAndTheWorkRunsOffIt() throws Exception {
        // Given a caller on a Vert.x event loop
        cpu = new CpuWork(2, 0.5, 10, 16);
        Vertx vertx = Vertx.vertx();
        try {
            Context caller = vertx.getOrCreateContext();
            CompletableFuture<String> workThread = new CompletableFuture<>();
            CompletableFuture<Context> deliveredOn = new CompletableFuture<>();
            CompletableFuture<String> inlineThread = new CompletableFuture<>();

            // When it runs large work and small work through the pool
            caller.runOnContext(ignored -> {
                cpu.run(A, 1_000, () -> Thread.currentThread().getName()).subscribe().with(name -> {
                    workThread.complete(name);
                    deliveredOn.complete(Vertx.currentContext());
                }, deliveredOn::completeExceptionally);
                cpu.run(A, 3, () -> Thread.currentThread().getName()).subscribe().with(inlineThread::complete);
            });

            // Then the large work ran on the pool and its result arrived on the caller's context;
            // the small work ran inline, on the event loop
            assertThat(workThread).succeedsWithin(WAIT).asString().startsWith("berth-cpu-");
            assertThat(deliveredOn).succeedsWithin(WAIT).isSameAs(caller);
            assertThat(inlineThread).succeedsWithin(WAIT).asString().contains("eventloop");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailureOfTheWorkFailsTheCallerAndTheThreadServesOn() {
        // Given a pool of one thread
        cpu = new CpuWork(1, 1.0, 10, 0);

        // When a task throws, and another follows
        CompletableFuture<String> failed = submit(A, () -> {
            throw new IllegalStateException("bad schema");
        });
        CompletableFuture<String> next = submit(A, () -> "next");

        // Then the first caller sees the failure and the next task still runs
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(next).succeedsWithin(WAIT).isEqualTo("next");
    }

    @Test
    void aCallerThatGoesAwayBeforeItsTurnLeavesTheQueue() {
        // Given one busy thread and a waiting task
        cpu = new CpuWork(1, 1.0, 10, 0);
        CountDownLatch gate = gate();
        submit(A, () -> blockOn(gate, "running"));
        await().atMost(WAIT).until(() -> cpu.running() == 1);
        boolean[] ran = new boolean[1];
        var waiting = cpu.run(A, 100, () -> ran[0] = true).subscribe().with(ignored -> { });
        assertThat(cpu.queued()).isEqualTo(1);

        // When its caller cancels
        waiting.cancel();

        // Then it leaves the queue and never runs
        assertThat(cpu.queued()).isZero();
        gate.countDown();
        await().atMost(WAIT).until(() -> cpu.running() == 0);
        assertThat(ran[0]).isFalse();
    }

    private <T> CompletableFuture<T> submit(TenantId tenant, java.util.function.Supplier<T> work) {
        return cpu.run(tenant, 100, work).subscribeAsCompletionStage();
    }

    private CountDownLatch gate() {
        CountDownLatch gate = new CountDownLatch(1);
        gates.add(gate);
        return gate;
    }

    private static String blockOn(CountDownLatch gate, String result) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    private static String record(List<String> order, String name) {
        order.add(name);
        return name;
    }
}
