package dev.berth.runtime.testkit;

import dev.berth.runtime.error.UnavailableException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A database outage as the ports see it, for the in-memory store: statements that fail before
 * they run (a refused or closed connection: nothing happens), and statements that run and
 * commit but whose caller hears only the failure (the connection broke before the answer came
 * back). Both fail with {@link UnavailableException}, as session-store reports them. Only the
 * ports' statements are affected; a test's own reads of the {@link InMemoryDatabase} are not.
 *
 * <p>Thread safe.
 */
public final class DatabaseFaults {
    private final AtomicInteger failing = new AtomicInteger();
    private final AtomicInteger answersLost = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile boolean down;

    /** The next {@code count} statements fail without running. */
    public DatabaseFaults failNext(int count) {
        failing.set(count);
        return this;
    }

    /** The next {@code count} statements commit, and their callers hear a broken connection. */
    public DatabaseFaults loseAnswerOfNext(int count) {
        answersLost.set(count);
        return this;
    }

    /** Every statement fails without running until {@link #up()}. */
    public void down() {
        down = true;
    }

    public void up() {
        down = false;
    }

    /** Statements that failed or lost their answer so far. */
    public int failures() {
        return failed.get();
    }

    /** A port's statement under the faults: {@code statement} runs (as one transaction) or not. */
    <T> T run(Supplier<T> statement) {
        if (down || takeOne(failing)) {
            throw unavailable("Connection refused");
        }
        T result = statement.get();
        if (takeOne(answersLost)) {
            throw unavailable("Connection closed before the answer");
        }
        return result;
    }

    private UnavailableException unavailable(String what) {
        failed.incrementAndGet();
        return new UnavailableException("the database is unavailable; retry the request", new IOException(what));
    }

    private static boolean takeOne(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
