package dev.berth.runtime.tools;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A non-blocking semaphore: {@link #acquire()} returns a future that completes when a permit
 * is free, in arrival order. A waiter that gives up cancels its future; a permit is then
 * never handed to it. Thread safe; the lock is held only for a few field updates.
 */
final class ConcurrencyLimit {
    private final int permits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int inUse;

    ConcurrencyLimit(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be positive");
        }
        this.permits = permits;
    }

    /**
     * A future that completes once the caller holds a permit. The caller must call
     * {@link #release()} once for a future that completed normally, and should cancel one it
     * no longer waits for: if {@code cancel} returns false, the permit was granted and must be released.
     */
    CompletableFuture<Void> acquire() {
        CompletableFuture<Void> permit = new CompletableFuture<>();
        lock.lock();
        try {
            if (inUse < permits) {
                inUse++;
                permit.complete(null);
            } else {
                waiting.addLast(permit);
            }
        } finally {
            lock.unlock();
        }
        return permit;
    }

    void release() {
        CompletableFuture<Void> next;
        lock.lock();
        try {
            // Hand the permit to the first waiter still waiting; cancelled ones are dropped.
            while ((next = waiting.pollFirst()) != null && next.isCancelled()) {
                // dropped
            }
            if (next == null) {
                inUse--;
            }
        } finally {
            lock.unlock();
        }
        // Completed outside the lock: the waiter's continuation may run on this thread.
        if (next != null && !next.complete(null)) {
            // Cancelled between the poll and here: pass the permit on.
            release();
        }
    }

    int inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }
}
