package dev.berth.model.fake;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * How a {@link FakeModelServer} listens and behaves by default.
 *
 * @param host    interface to bind, usually {@code 127.0.0.1}; any other than a loopback address
 *                needs an {@code apiKey}, since whoever reaches the fake can read what it recorded
 * @param port    0 for a random free port
 * @param latency delay before answering when a reply has none of its own
 * @param apiKey  when set, every route needs it: model routes take {@code api-key: <apiKey>} or
 *                {@code Authorization: Bearer <apiKey>} (or a token issued by the fake's Entra ID token
 *                endpoint), the control routes ({@code /_fake/*}) the key itself, and the token endpoint
 *                the key as client secret or assertion; anything else gets a 401. Null accepts anything
 * @param chunkDelay    pause between streamed chunks (zero: as fast as possible)
 * @param tokenLifetime {@code expires_in} of tokens issued by the fake token endpoint
 * @param recordLimit   how many requests the fake keeps for {@code requests()} and {@code GET /_fake/requests};
 *                      the oldest are dropped beyond it, so a long-running fake holds bounded memory
 * @param lenientRequests false (the default): every model request is checked as OpenAI and Azure OpenAI check it
 *                      (tool calls paired with their results, roles, content parts, tool schemas; see the
 *                      module README) and refused with their 400 {@code invalid_request_error} when invalid.
 *                      True skips those checks, for the rare test that must send a request the services refuse
 * @param azureAsyncFilter false (the default): Azure routes stream as Azure does by default (the prompt's
 *                      annotation chunk first, then chunks that all carry a {@code delta}, each with its content
 *                      filter results). True: as a deployment with Azure's <em>Asynchronous Filter</em> does: content
 *                      chunks without annotations, then annotation chunks without {@code delta} carrying
 *                      {@code content_filter_results} and {@code content_filter_offsets}
 */
public record FakeOptions(String host, int port, Duration latency, String apiKey, Duration chunkDelay,
        Duration tokenLifetime, int recordLimit, boolean lenientRequests, boolean azureAsyncFilter) {
    /** The default of {@link #recordLimit()}. */
    public static final int DEFAULT_RECORD_LIMIT = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    public FakeOptions(String host, int port, Duration latency, String apiKey) {
        this(host, port, latency, apiKey, Duration.ZERO, Duration.ofHours(1), DEFAULT_RECORD_LIMIT, false, false);
    }

    public FakeOptions(String host, int port, Duration latency, String apiKey, Duration chunkDelay,
            Duration tokenLifetime, int recordLimit, boolean lenientRequests) {
        this(host, port, latency, apiKey, chunkDelay, tokenLifetime, recordLimit, lenientRequests, false);
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
        if (recordLimit < 1) {
            throw new IllegalArgumentException("recordLimit must be >= 1");
        }
        if (apiKey == null && !loopback(host)) {
            throw new IllegalArgumentException("a fake model listening on " + host
                    + " (not a loopback address) needs an api key");
        }
    }

    /** 127.0.0.1, a random port, no latency, no auth, the last 1,000 requests recorded. */
    public static FakeOptions defaults() {
        return new FakeOptions("127.0.0.1", 0, Duration.ZERO, null);
    }

    /** A fresh random key (256 bits from {@link SecureRandom}), for a fake only its own process may use. */
    public FakeOptions withRandomApiKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return withApiKey("fake-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public FakeOptions withPort(int p) {
        return new FakeOptions(host, p, latency, apiKey, chunkDelay, tokenLifetime, recordLimit, lenientRequests, azureAsyncFilter);
    }

    public FakeOptions withLatency(Duration d) {
        return new FakeOptions(host, port, d, apiKey, chunkDelay, tokenLifetime, recordLimit, lenientRequests, azureAsyncFilter);
    }

    public FakeOptions withApiKey(String key) {
        return new FakeOptions(host, port, latency, key, chunkDelay, tokenLifetime, recordLimit, lenientRequests, azureAsyncFilter);
    }

    public FakeOptions withHost(String h) {
        return new FakeOptions(h, port, latency, apiKey, chunkDelay, tokenLifetime, recordLimit, lenientRequests, azureAsyncFilter);
    }

    public FakeOptions withChunkDelay(Duration d) {
        return new FakeOptions(host, port, latency, apiKey, d, tokenLifetime, recordLimit, lenientRequests, azureAsyncFilter);
    }

    public FakeOptions withTokenLifetime(Duration d) {
        return new FakeOptions(host, port, latency, apiKey, chunkDelay, d, recordLimit, lenientRequests, azureAsyncFilter);
    }

    public FakeOptions withRecordLimit(int limit) {
        return new FakeOptions(host, port, latency, apiKey, chunkDelay, tokenLifetime, limit, lenientRequests);
    }

    /**
     * These options without the request checks: the fake answers requests that OpenAI and Azure would refuse
     * with 400. Only for a test about the client's own handling of such requests; everything else stays strict,
     * so that a request a real service refuses fails the test that sends it.
     */
    public FakeOptions lenient() {
        return new FakeOptions(host, port, latency, apiKey, chunkDelay, tokenLifetime, recordLimit, true, azureAsyncFilter);
    }

    /**
     * These options with Azure's Asynchronous Filter turned on for the Azure routes' streams: annotation chunks
     * without {@code delta}, as Azure documents them (learn.microsoft.com, "Content streaming"). Off by default,
     * as on a real deployment.
     */
    public FakeOptions withAzureAsyncFilter() {
        return new FakeOptions(host, port, latency, apiKey, chunkDelay, tokenLifetime, recordLimit, lenientRequests, true);
    }

    /** The key is a secret: never printed with the options. */
    @Override
    public String toString() {
        return "FakeOptions[host=" + host + ", port=" + port + ", latency=" + latency + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", chunkDelay=" + chunkDelay + ", tokenLifetime=" + tokenLifetime
                + ", recordLimit=" + recordLimit + ", lenientRequests=" + lenientRequests + ", azureAsyncFilter=" + azureAsyncFilter + "]";
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
