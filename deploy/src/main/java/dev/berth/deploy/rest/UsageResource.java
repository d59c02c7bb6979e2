package dev.berth.deploy.rest;

import dev.berth.deploy.api.UsageReportView;
import dev.berth.deploy.auth.Allowed;
import dev.berth.deploy.auth.RequestPrincipal;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.UsageGroup;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.input.InputLimits;
import dev.berth.runtime.port.BudgetStore;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * What the tenant's runs spent (ADR 0032), answered from the runs table the step commit already
 * writes: tokens and model calls summed by agent, by actor or by UTC day of the run's creation.
 */
@Path("/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {
    /** The longest range one request sums over: keeps the scan bounded. */
    static final Duration MAX_RANGE = Duration.ofDays(366);

    private final BudgetStore budgets;
    private final RequestPrincipal principal;

    @Inject
    public UsageResource(BudgetStore budgets, RequestPrincipal principal) {
        this.budgets = budgets;
        this.principal = principal;
    }

    /**
     * Runs created in {@code [from, to)} (instants such as {@code 2026-12-07T00:00:00Z}, or UTC days
     * such as {@code 2026-12-07}; by default the current UTC month, at most 366 days), grouped by
     * {@code groupBy} ({@code agent}, {@code actor} or {@code day}), in the order of their key,
     * {@code limit} (1-100, default 100) groups a page; {@code cursor} is the previous page's
     * {@code nextCursor}.
     */
    @GET
    @Allowed({Role.OPERATOR})
    public Uni<UsageReportView> usage(@QueryParam("groupBy") String groupBy, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cursor") String cursor,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("limit") String limit) {
        UsageGroup group = UsageGroup.fromWire(groupBy == null ? "" : groupBy)
                .orElseThrow(() -> ValidationException.field("groupBy", "must be agent, actor or day"));
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        Instant start = instant("from", from, month.atStartOfDay(ZoneOffset.UTC).toInstant());
        Instant end = instant("to", to, month.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        if (!start.isBefore(end)) {
            throw ValidationException.field("to", "must be after from");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw ValidationException.field("to", "must be at most 366 days after from");
        }
        int most = QueryNumbers.integer("limit", limit, InputLimits.MAX_PAGE);
        InputLimits.count("limit", most, 1, InputLimits.MAX_PAGE);
        Optional<String> after = cursor == null || cursor.isEmpty() ? Optional.empty() : Optional.of(cursor);
        return budgets.usage(principal.tenant(), group, start, end, after, most)
                .map(page -> new UsageReportView(group.wire(), start, end,
                        page.items().stream().map(UsageReportView.Item::of).toList(), page.nextCursor()));
    }

    private static Instant instant(String field, String raw, Instant fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return raw.length() == 10 ? LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ValidationException.field(field, "must be an instant (2026-12-07T00:00:00Z) or a day (2026-12-07)");
        }
    }
}
