package dev.berth.bench.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The same GET from a few clients in a closed loop (each sends its next request when the last answer
 * arrived), for the benches that measure what one request costs: the rate limit, token verification.
 */
public final class RepeatedGets {
    private RepeatedGets() {
    }

    /** Sends {@code requests} GETs of {@code path}, shared among {@code clients} threads; each must answer 200. */
    public static void send(BerthClient client, String path, int requests, int clients) throws Exception {
        closedLoop(requests, clients, () -> client.call("GET", path, null, 200));
    }

    /** {@code requests} runs of {@code call} shared by {@code clients} threads, each calling again once answered. */
    public static void closedLoop(int requests, int clients, Runnable call) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int share = requests / clients + (c < requests % clients ? 1 : 0);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        call.run();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }
}
