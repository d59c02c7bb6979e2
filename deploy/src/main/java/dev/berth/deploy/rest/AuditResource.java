package dev.berth.deploy.rest;

import dev.berth.deploy.api.AuditView;
import dev.berth.deploy.api.PageView;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.domain.AuditAction;
import dev.berth.runtime.domain.AuditQuery;
import dev.berth.runtime.domain.AuditRecord;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.port.AuditTrail;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The tenant's audit trail, newest first (ADR 0034): admins and operators. */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final AuditTrail trail;
    private final RequestPrincipal principal;

    @Inject
    public AuditResource(AuditTrail trail, RequestPrincipal principal) {
        this.trail = trail;
        this.principal = principal;
    }

    /**
     * A page of rows, {@code limit} (1-100, default 20) at a time; every filter is optional:
     * {@code action} (e.g. {@code key.create}), {@code principal} (e.g. {@code key:<id>}),
     * {@code targetType} and {@code targetId}, {@code from} (inclusive) and {@code to} (exclusive) as
     * ISO-8601 instants.
     */
    @GET
    @Allowed({Role.OPERATOR})
    public Uni<PageView<AuditView>> list(@QueryParam("action") String action, @QueryParam("principal") String who,
            @QueryParam("targetType") String targetType, @QueryParam("targetId") String targetId,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("limit") String limit) {
        int most = QueryNumbers.integer("limit", limit, 20);
        InputLimits.count("limit", most, 1, InputLimits.MAX_PAGE);
        AuditAction parsed = action == null ? null : AuditAction.parse(action)
                .orElseThrow(() -> ValidationException.field("action", "is not an audited action"));
        for (String[] text : new String[][] {{"principal", who}, {"targetType", targetType}, {"targetId", targetId}}) {
            if (text[1] != null) {
                InputLimits.label(text[0], text[1]);
            }
        }
        AuditQuery query = new AuditQuery(principal.tenant(), parsed, who, targetType, targetId, instant("from", from),
                instant("to", to), cursor, most);
        return trail.query(query).map(page -> new PageView<>(page.items().stream().map(AuditResource::view).toList(),
                page.nextCursor()));
    }

    private static Instant instant(String name, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ValidationException.field(name, "is not an ISO-8601 instant such as 2026-12-07T10:15:30Z");
        }
    }

    private static AuditView view(AuditRecord record) {
        var entry = record.entry();
        return new AuditView(record.id(), record.at(), entry.tenant() == null ? null : entry.tenant().toString(),
                entry.principal(), entry.action().wire(),
                new AuditView.Target(entry.target().type(), entry.target().id()), entry.requestId(),
                entry.outcome().wire(), HexFormat.of().formatHex(entry.digest()));
    }
}
