package dev.berth.deploy.audit;

import java.io.IOException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.deploy.observe.RequestIds;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditEntry;
import dev.berth.runtime.domain.AuditOutcome;
import dev.berth.runtime.domain.AuditTarget;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.AuditTrail;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The one way resources record what a request did to the audit trail (ADR 0034): the caller's
 * tenant and subject, the request id, and the SHA-256 of the change in canonical JSON (properties
 * and map keys sorted), so that two equal requests have one digest whatever their key order.
 * Called after the action committed, and only by the request that did it (never by an
 * idempotent replay, which did nothing).
 */
@ApplicationScoped
public class AuditRecorder {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private static final Logger LOG = Logger.getLogger(AuditRecorder.class);

    private final AuditTrail trail;
    private final RequestPrincipal principal;
    private final AuditFailedAuthSampler failedAuths;
    private final CurrentVertxRequest http;

    @Inject
    public AuditRecorder(AuditTrail trail, RequestPrincipal principal, AuditConfig config, CurrentVertxRequest http) {
        this.http = http;
        this.trail = trail;
        this.principal = principal;
        this.failedAuths = new AuditFailedAuthSampler(config.failedAuthPerMinute(), config.failedAuthSources(),
                System::currentTimeMillis);
    }

    /**
     * Records a failed authentication from {@code address}, sampled ({@link AuditFailedAuthSampler}).
     * Its key named no tenant we can trust, so the row has none: it is the platform's to read. A
     * failure to write is logged and the request still gets its 401.
     */
    public Uni<Void> failedAuthentication(String address, String method, String path) {
        String source = address == null ? "unknown" : address;
        if (!failedAuths.admit(source)) {
            return Uni.createFrom().voidItem();
        }
        AuditTarget target = new AuditTarget("route", method + " " + path);
        AuditEntry entry = new AuditEntry(null, "ip:" + source, AuditAction.AUTH_FAILED, target, requestId(),
                AuditOutcome.REFUSED, digest(AuditAction.AUTH_FAILED, target, null));
        return trail.record(entry).onFailure().recoverWithUni(failure -> {
            LOG.warnf("Could not record a failed authentication in the audit trail: %s", failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** Records a successful action of the current request's principal on {@code target}. */
    public Uni<Void> record(AuditAction action, AuditTarget target, Object change) {
        return trail.record(entry(principal.tenant(), principal.get().subject(), action, target, change));
    }

    /**
     * One row per answer to a paused run: an approval, a denial, or a client-side tool's result, whichever
     * door the answers came through (the native actions route or the OpenAI surface).
     */
    public Uni<Void> recordAnswers(java.util.UUID runId, java.util.List<dev.berth.runtime.run.ActionAnswer> answers) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (dev.berth.runtime.run.ActionAnswer answer : answers) {
            AuditAction action = answer.approve() == null ? AuditAction.RUN_TOOL_ANSWER
                    : answer.approve() ? AuditAction.RUN_APPROVE : AuditAction.RUN_DENY;
            AuditTarget call = new AuditTarget("tool-call", runId + "/" + answer.callId());
            all = all.chain(() -> record(action, call, answer));
        }
        return all;
    }

    /** A row for the current request, done by {@code subject} in {@code tenant}. */
    public AuditEntry entry(TenantId tenant, String subject, AuditAction action, AuditTarget target, Object change) {
        return new AuditEntry(tenant, subject, action, target, requestId(), AuditOutcome.SUCCEEDED,
                digest(action, target, change));
    }

    /**
     * The request's id. A resource's continuation may run on a worker thread (off-loop JSON), where
     * the Vert.x context that {@link RequestIds#current()} reads is not current; the routing context,
     * a request-scoped bean, still holds the id {@code HttpLayerProblems} accepted.
     */
    private String requestId() {
        String id = RequestIds.current();
        if (id == null && http.getCurrent() != null) {
            id = http.getCurrent().get(RequestIds.MDC_KEY);
        }
        return id;
    }

    /**
     * SHA-256 of the change in canonical JSON; with no body, of the action and its target. A
     * {@code byte[]} is a JSON body as received (already checked strict), canonicalised first.
     */
    public static byte[] digest(AuditAction action, AuditTarget target, Object change) {
        try {
            Object value = change instanceof byte[] body ? CANONICAL.readValue(body, Object.class) : change;
            return AuditEntry.digestOf(value == null
                    ? CANONICAL.writeValueAsBytes(new Object[] {action.wire(), target.type(), target.id()})
                    : CANONICAL.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException("a request body that was read as JSON is written as JSON", e);
        }
    }
}
