package dev.berth.model.fake;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link FakeModelServer} listens and behaves by default.
 *
 * @param host    interface to bind, usually {@code 127.0.0.1}
 * @param port    0 for a random free port
 * @param latency delay before answering when a reply has none of its own
 * @param apiKey  when set, requests must carry {@code api-key: <apiKey>} or
 *                {@code Authorization: Bearer <apiKey>} (or a token issued by the fake's Entra ID token
 *                endpoint), else 401; null accepts anything
 * @param chunkDelay    pause between streamed chunks (zero: as fast as possible)
 * @param tokenLifetime {@code expires_in} of tokens issued by the fake token endpoint
 */
public record FakeOptions(String host, int port, Duration latency, String apiKey, Duration chunkDelay,
        Duration tokenLifetime) {

    public FakeOptions(String host, int port, Duration latency, String apiKey) {
        this(host, port, latency, apiKey, Duration.ZERO, Duration.ofHours(1));
    }

    public FakeOptions {
        Objects.requireNonNull(host, "host");
        latency = latency == null ? Duration.ZERO : latency;
        chunkDelay = chunkDelay == null ? Duration.ZERO : chunkDelay;
        tokenLifetime = tokenLifetime == null ? Duration.ofHours(1) : tokenLifetime;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
    }

    /** 127.0.0.1, a random port, no latency, no auth. */
    public static FakeOptions defaults() {
        return new FakeOptions("127.0.0.1", 0, Duration.ZERO, null);
    }

    public FakeOptions withPort(int p) {
        return new FakeOptions(host, p, latency, apiKey, chunkDelay, tokenLifetime);
    }

    public FakeOptions withLatency(Duration d) {
        return new FakeOptions(host, port, d, apiKey, chunkDelay, tokenLifetime);
    }

    public FakeOptions withApiKey(String key) {
        return new FakeOptions(host, port, latency, key, chunkDelay, tokenLifetime);
    }

    public FakeOptions withHost(String h) {
        return new FakeOptions(h, port, latency, apiKey, chunkDelay, tokenLifetime);
    }

    public FakeOptions withChunkDelay(Duration d) {
        return new FakeOptions(host, port, latency, apiKey, d, tokenLifetime);
    }

    public FakeOptions withTokenLifetime(Duration d) {
        return new FakeOptions(host, port, latency, apiKey, chunkDelay, d);
    }
}
