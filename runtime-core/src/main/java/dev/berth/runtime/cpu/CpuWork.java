package dev.berth.runtime.cpu;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.UnavailableException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs CPU-heavy work (token counting, large JSON) off the Vert.x event loops, on a small pool
 * of platform threads that is fair between tenants: one tenant occupies at most its share of
 * the threads and of the queue ({@link CpuWorkConfig#tenantShare()}), and waiting tenants are
 * served in turn, so one tenant's heavy work never keeps another's waiting for long, and an
 * event loop is never busy with it at all.
 *
 * <p>Threading: {@link #run} may be called from any thread. When the caller is on a Vert.x
 * context (an event loop, a duplicated context), the result is delivered back on that context,
 * so the caller's chain continues where it started; otherwise on the pool's thread. Work on
 * small inputs runs inline, on the caller's thread.
 *
 * <p>Errors: the work's own exception fails the {@code Uni}; work refused because the tenant's
 * share of the queue (or the whole queue) is full fails it with {@link UnavailableException}.
 * Cancelling the {@code Uni} before the work starts removes it from the queue.
 */
@ApplicationScoped
public class CpuWork {
    private static final Logger LOG = Logger.getLogger(CpuWork.class);

    private final TenantQueues queues;
    private final int inlineBelowChars;
    private final List<Thread> threads = new ArrayList<>();

    @Inject
    public CpuWork(CpuWorkConfig config) {
        this(config.threads().orElse(Math.max(2, Runtime.getRuntime().availableProcessors())),
                config.tenantShare(), config.maxQueued(), config.inlineBelowChars());
    }

    /**
     * @param threads          threads of the pool
     * @param tenantShare      the share (0-1] of threads and queue one tenant may hold
     * @param maxQueued        the most tasks waiting, of all tenants
     * @param inlineBelowChars inputs shorter than this run on the caller's thread
     */
    public CpuWork(int threads, double tenantShare, int maxQueued, int inlineBelowChars) {
        if (threads < 1 || maxQueued < 1 || !(tenantShare > 0 && tenantShare <= 1) || inlineBelowChars < 0) {
            throw new IllegalArgumentException("CPU pool: threads and max-queued must be positive, tenant-share in (0, 1],"
                    + " inline-below-chars not negative");
        }
        this.queues = new TenantQueues(Math.max(1, (int) (threads * tenantShare)), maxQueued,
                Math.max(1, (int) (maxQueued * tenantShare)));
        this.inlineBelowChars = inlineBelowChars;
        for (int i = 0; i < threads; i++) {
            Thread thread = Thread.ofPlatform().daemon().name("berth-cpu-" + i).unstarted(this::work);
            this.threads.add(thread);
            thread.start();
        }
    }

    /**
     * The work's result, computed on the pool (or inline when {@code inputChars} is below the
     * threshold), delivered on the caller's context.
     *
     * @param tenant     whose work it is: the unit of fairness
     * @param inputChars the size of what the work reads, deciding inline or pooled
     */
    public <T> Uni<T> run(TenantId tenant, long inputChars, Supplier<T> work) {
        if (inputChars < inlineBelowChars) {
            return Uni.createFrom().item(work);
        }
        return Uni.createFrom().emitter(emitter -> {
            Context caller = Vertx.currentContext();
            AtomicBoolean cancelled = new AtomicBoolean();
            TenantQueues.Task task = new TenantQueues.Task(tenant, () -> {
                if (!cancelled.get()) {
                    deliver(caller, emitter, work);
                }
            });
            emitter.onTermination(() -> {
                if (cancelled.compareAndSet(false, true)) {
                    queues.remove(task);
                }
            });
            if (!queues.offer(task)) {
                cancelled.set(true);
                emitter.fail(new UnavailableException("the server is busy with this tenant's work; try again shortly",
                        null));
            }
        });
    }

    /** Tasks waiting now, of all tenants (for metrics and tests). */
    public int queued() {
        return queues.queued();
    }

    /** Tasks running now, of all tenants. */
    public int running() {
        return queues.running();
    }

    private static <T> void deliver(Context caller, UniEmitter<? super T> emitter, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (Throwable failure) {
            onContext(caller, () -> emitter.fail(failure));
            return;
        }
        onContext(caller, () -> emitter.complete(result));
    }

    private static void onContext(Context caller, Runnable action) {
        if (caller == null) {
            action.run();
        } else {
            caller.runOnContext(ignored -> action.run());
        }
    }

    private void work() {
        while (true) {
            TenantQueues.Task task;
            try {
                task = queues.take();
            } catch (InterruptedException e) {
                return; // closed
            }
            try {
                task.work().run();
            } catch (Throwable unexpected) {
                LOG.error("CPU task failed outside its caller", unexpected);
            } finally {
                queues.done(task);
            }
        }
    }

    @PreDestroy
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}
