package dev.berth.model.internal.ws;

import dev.berth.model.internal.resilience.Ticker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open sockets, one per run and deployment, and the deployments whose sockets were refused
 * lately. A run's sockets are closed when the run ends ({@link #closeRun}), when idle for
 * {@code idleTimeout}, and before the provider's own limit on a connection's age (OpenAI: 60 minutes),
 * so that a long run moves to a fresh socket between two responses rather than in the middle of one.
 * Thread safe.
 */
final class SocketPool {
    private final Map<String, ResponsesSocket> sockets = new ConcurrentHashMap<>();
    private final Map<String, Long> refusedUntil = new ConcurrentHashMap<>();
    private final Ticker ticker;
    private final Duration idleTimeout;
    private final Duration maxAge;
    private final Duration refusalMemory;

    SocketPool(Ticker ticker, Duration idleTimeout, Duration maxAge, Duration refusalMemory) {
        this.ticker = ticker;
        this.idleTimeout = idleTimeout;
        this.maxAge = maxAge;
        this.refusalMemory = refusalMemory;
    }

    /** The run's idle socket to a deployment, or null when there is none fit for another response. */
    ResponsesSocket idleSocket(String runKey, String deploymentKey) {
        ResponsesSocket s = sockets.get(key(runKey, deploymentKey));
        if (s == null || !s.idle()) {
            return null;
        }
        if (ticker.nanos() - s.openedNanos() > maxAge.toNanos()) {
            s.close();
            return null;
        }
        return s;
    }

    /** Keeps {@code socket} as the run's socket to the deployment, closing the one it replaces. */
    void put(String runKey, String deploymentKey, ResponsesSocket socket) {
        ResponsesSocket old = sockets.put(key(runKey, deploymentKey), socket);
        if (old != null && old != socket) {
            old.close();
        }
    }

    /** Whether the run already has a socket to the deployment that is carrying a response. */
    boolean busy(String runKey, String deploymentKey) {
        ResponsesSocket s = sockets.get(key(runKey, deploymentKey));
        return s != null && !s.isClosed() && !s.idle();
    }

    void refused(String deploymentKey) {
        refusedUntil.put(deploymentKey, ticker.nanos() + refusalMemory.toNanos());
    }

    /** Whether a socket to the deployment was refused within the refusal memory: use HTTP meanwhile. */
    boolean recentlyRefused(String deploymentKey) {
        Long until = refusedUntil.get(deploymentKey);
        if (until == null) {
            return false;
        }
        if (ticker.nanos() - until > 0) {
            refusedUntil.remove(deploymentKey, until);
            return false;
        }
        return true;
    }

    void closeRun(String runKey) {
        String prefix = runKey + "|";
        sockets.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(prefix)) {
                e.getValue().close();
                return true;
            }
            return false;
        });
    }

    /** Closes sockets idle for longer than the idle timeout, and forgets closed ones. */
    void sweep() {
        long now = ticker.nanos();
        sockets.entrySet().removeIf(e -> {
            ResponsesSocket s = e.getValue();
            if (s.idle() && now - s.lastUsedNanos() > idleTimeout.toNanos()) {
                s.close();
            }
            return s.isClosed();
        });
    }

    int open() {
        return (int) sockets.values().stream().filter(s -> !s.isClosed()).count();
    }

    void closeAll() {
        sockets.values().forEach(ResponsesSocket::close);
        sockets.clear();
    }

    private static String key(String runKey, String deploymentKey) {
        return runKey + "|" + deploymentKey;
    }
}
