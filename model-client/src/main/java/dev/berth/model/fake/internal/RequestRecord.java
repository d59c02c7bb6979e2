package dev.berth.model.fake.internal;

import dev.berth.model.fake.RecordedRequest;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests a fake received, oldest first, at most {@code limit} of them: adding one more
 * drops the oldest, so a fake that runs for days (a demo, a benchmark) holds bounded memory.
 * Thread safe without locks; under concurrent adds the size may pass the limit by the number
 * of adds in flight, never more.
 */
public final class RequestRecord {
    private final int limit;
    private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    // ConcurrentLinkedQueue.size() walks the queue: keep the count alongside.
    private final AtomicInteger size = new AtomicInteger();

    public RequestRecord(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        this.limit = limit;
    }

    public void add(RecordedRequest request) {
        requests.add(request);
        if (size.incrementAndGet() > limit) {
            dropOldest();
        }
    }

    /** The kept requests, oldest first (a copy). */
    public List<RecordedRequest> list() {
        return List.copyOf(requests);
    }

    public void clear() {
        while (requests.poll() != null) {
            size.decrementAndGet();
        }
    }

    private void dropOldest() {
        if (requests.poll() != null) {
            size.decrementAndGet();
        }
    }
}
