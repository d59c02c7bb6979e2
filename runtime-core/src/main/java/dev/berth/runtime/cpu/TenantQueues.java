package dev.berth.runtime.cpu;

import dev.berth.runtime.domain.TenantId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The waiting tasks of {@link CpuWork}, one FIFO per tenant, handed out in turn: the next free
 * thread takes the oldest task of the next tenant (in round-robin order) that runs fewer than
 * its limit of tasks. Bounded in all and per tenant. Thread safe; the lock is held only to
 * move a task, never while one runs.
 */
final class TenantQueues {
    /** A unit of work and whose it is. Identity matters: the same task is removed, not an equal one. */
    record Task(TenantId tenant, Runnable work) {
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private final int runningPerTenant;
    private final int maxQueued;
    private final int queuedPerTenant;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<TenantId, ArrayDeque<Task>> waiting = new HashMap<>();
    /** Tenants with waiting tasks, in the order they are served next. */
    private final ArrayDeque<TenantId> turn = new ArrayDeque<>();
    private final Map<TenantId, Integer> runningOf = new HashMap<>();
    private int queued;
    private int running;

    TenantQueues(int runningPerTenant, int maxQueued, int queuedPerTenant) {
        this.runningPerTenant = runningPerTenant;
        this.maxQueued = maxQueued;
        this.queuedPerTenant = queuedPerTenant;
    }

    /** @return false when the queue, or the tenant's share of it, is full */
    boolean offer(Task task) {
        lock.lock();
        try {
            ArrayDeque<Task> own = waiting.get(task.tenant());
            if (queued >= maxQueued || (own != null && own.size() >= queuedPerTenant)) {
                return false;
            }
            if (own == null) {
                own = new ArrayDeque<>();
                waiting.put(task.tenant(), own);
                turn.addLast(task.tenant());
            }
            own.addLast(task);
            queued++;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next task to run; waits until one may run. */
    Task take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Task next = next();
                if (next != null) {
                    return next;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Marks a task taken by {@link #take()} as finished, freeing its tenant's slot. */
    void done(Task task) {
        lock.lock();
        try {
            running--;
            runningOf.computeIfPresent(task.tenant(), (tenant, count) -> count == 1 ? null : count - 1);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops a task that has not started (its caller went away). */
    void remove(Task task) {
        lock.lock();
        try {
            ArrayDeque<Task> own = waiting.get(task.tenant());
            if (own != null && own.remove(task)) {
                queued--;
                if (own.isEmpty()) {
                    waiting.remove(task.tenant());
                    turn.remove(task.tenant());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    int queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the oldest task of the first tenant in turn that is below its limit, or null. */
    private Task next() {
        for (Iterator<TenantId> tenants = turn.iterator(); tenants.hasNext(); ) {
            TenantId tenant = tenants.next();
            if (runningOf.getOrDefault(tenant, 0) >= runningPerTenant) {
                continue;
            }
            tenants.remove();
            ArrayDeque<Task> own = waiting.get(tenant);
            Task task = own.pollFirst();
            if (own.isEmpty()) {
                waiting.remove(tenant);
            } else {
                turn.addLast(tenant); // served: its next task waits for the others' turn
            }
            queued--;
            running++;
            runningOf.merge(tenant, 1, Integer::sum);
            return task;
        }
        return null;
    }
}
