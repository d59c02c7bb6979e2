package dev.berth.deploy.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.berth.runtime.domain.KeyedRequest;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.InProgressException;
import dev.berth.runtime.error.KeyReusedException;
import dev.berth.runtime.error.KeyTakenException;
import dev.berth.runtime.port.IdempotencyKeys;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code Idempotency-Key} header of creating requests (ADR 0024). A request with a key either
 * makes its effect, the store claiming the key in the effect's transaction, or finds the key used
 * before: by the same request (same tenant, method, route, values and body), whose answer is
 * rendered again from what it created and marked {@code Idempotent-Replayed: true}; or by another
 * request, which is a 422 problem. A request with the same key still in flight is waited for, at
 * most {@code berth.api.idempotency-wait}, then answered 409 {@code request-in-progress}.
 *
 * <p>Threading: stateless, called on the event loop; the key is read with one indexed statement.
 */
@ApplicationScoped
public class IdempotentRequests {
    private final IdempotencyKeys keys;
    private final Duration ttl;
    private final Duration inFlightWait;
    /** Bodies written the same way whatever the order of their maps' keys. */
    private final ObjectMapper canonical;

    @Inject
    public IdempotentRequests(IdempotencyKeys keys, ObjectMapper json,
            @ConfigProperty(name = "berth.api.idempotency-ttl", defaultValue = "24h") Duration ttl,
            @ConfigProperty(name = "berth.api.idempotency-wait", defaultValue = "5s") Duration inFlightWait) {
        if (ttl.isNegative() || ttl.toSeconds() < 1 || inFlightWait.isNegative() || inFlightWait.isZero()) {
            throw new IllegalArgumentException("berth.api.idempotency-ttl must be at least 1s and "
                    + "berth.api.idempotency-wait positive");
        }
        this.keys = keys;
        this.ttl = ttl;
        this.inFlightWait = inFlightWait;
        this.canonical = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /**
     * A creating request as the key's fingerprint sees it.
     *
     * @param header the {@code Idempotency-Key} header as sent, or null
     * @param target the path, with the query values that change the effect (not {@code wait})
     * @param body   the request body: bytes as they came, or the parsed request (written canonically)
     */
    public record Request(TenantId tenant, String header, String method, String target, Object body) {
    }

    /**
     * Makes the request's effect, or answers from its earlier one.
     *
     * @param effect makes the effect, handing the key (if any) to the store call that makes it
     * @param replay renders the answer again from what the earlier request created
     */
    public Uni<Response> handle(Request request, Function<Optional<RequestKey>, Uni<Response>> effect,
            Function<KeyedRequest, Uni<Response>> replay) {
        String key = IdempotencyKeyHeader.parse(request.header());
        if (key == null) {
            return effect.apply(Optional.empty());
        }
        RequestKey requestKey = new RequestKey(key, fingerprint(request), ttl, inFlightWait);
        return keys.find(request.tenant(), key).chain(found -> found.isPresent()
                ? answerFrom(found.get(), requestKey, replay)
                : effect.apply(Optional.of(requestKey))
                        // Claimed meanwhile by a request that committed (the claim waited for it).
                        .onFailure(KeyTakenException.class).recoverWithUni(() -> keys.find(request.tenant(), key)
                                .chain(again -> again.isPresent() ? answerFrom(again.get(), requestKey, replay)
                                        : Uni.createFrom().failure(inProgress()))));
    }

    private static Uni<Response> answerFrom(KeyedRequest earlier, RequestKey key, Function<KeyedRequest, Uni<Response>> replay) {
        if (!earlier.fingerprint().equals(key.fingerprint())) {
            return Uni.createFrom().failure(new KeyReusedException("the Idempotency-Key '" + key.value()
                    + "' was used for a different request (another route, values or body); use a new key"));
        }
        return replay.apply(earlier).map(answer -> Response.fromResponse(answer)
                .header(IdempotencyKeyHeader.REPLAYED, "true").build());
    }

    private static InProgressException inProgress() {
        return new InProgressException("a request with this Idempotency-Key is still in progress; retry later",
                Duration.ofSeconds(1));
    }

    private String fingerprint(Request request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.method() + "\n" + request.target() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(request.body() instanceof byte[] bytes ? bytes : canonical.writeValueAsBytes(request.body()));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("the request could not be fingerprinted", e);
        }
    }
}
