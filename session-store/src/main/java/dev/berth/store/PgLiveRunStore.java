package dev.berth.store;

import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.run.LiveRunOrder;
import dev.berth.runtime.run.LiveRunQuery;
import dev.berth.runtime.run.LiveRunStore;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunStatus;
import dev.berth.store.internal.DbErrors;
import dev.berth.store.internal.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * {@link LiveRunStore} on the reactive pg client: one statement per page, keyset paged on the
 * order's key and the run's id, through the index runs_by_tenant_status (V16).
 */
@ApplicationScoped
public class PgLiveRunStore implements LiveRunStore {
    /** Oldest first; $4/$5 the last item's created_at and id, null on the first page. */
    static final String BY_AGE = "select " + Rows.runColumns("r") + """
             from runs r
            where r.tenant_id = $1 and r.status = any($2::text[])
              and r.created_at <= now() - make_interval(secs => $3)
              and ($4::timestamptz is null or (r.created_at, r.id) > ($4, $5::uuid))
            order by r.created_at, r.id limit $6""";
    /** Costliest first (input and output tokens); $4/$5 the last item's cost and id. */
    static final String BY_COST = "select " + Rows.runColumns("r") + """
             from runs r
            where r.tenant_id = $1 and r.status = any($2::text[])
              and r.created_at <= now() - make_interval(secs => $3)
              and ($4::bigint is null or r.input_tokens + r.output_tokens < $4
                   or (r.input_tokens + r.output_tokens = $4 and r.id > $5::uuid))
            order by r.input_tokens + r.output_tokens desc, r.id limit $6""";

    private final Pool pool;

    @Inject
    public PgLiveRunStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Page<Run>> live(TenantId tenant, LiveRunQuery query) {
        Cursor after = query.cursor() == null ? null : Cursor.decode(query.cursor(), query.order());
        String[] statuses = query.statuses().stream().map(RunStatus::wire).sorted().toArray(String[]::new);
        Tuple params = Tuple.tuple().addValue(tenant.value()).addArrayOfString(statuses)
                .addValue(query.olderThan().toNanos() / 1e9);
        if (query.order() == LiveRunOrder.AGE) {
            params.addValue(after == null ? null : after.created().atOffset(ZoneOffset.UTC));
        } else {
            params.addValue(after == null ? null : after.cost());
        }
        params.addValue(after == null ? null : after.id()).addValue(query.limit() + 1);
        return pool.preparedQuery(query.order() == LiveRunOrder.AGE ? BY_AGE : BY_COST).execute(params)
                .map(rows -> {
                    List<Run> runs = new ArrayList<>();
                    for (Row row : rows) {
                        runs.add(Rows.run(row));
                    }
                    List<Run> items = runs.stream().limit(query.limit()).toList();
                    String next = runs.size() > query.limit() ? Cursor.after(items.getLast(), query.order()) : null;
                    return new Page<>(items, next);
                })
                .onFailure().transform(DbErrors::translate);
    }

    /** An opaque page position: the order's key of the last item (micros since the epoch, or tokens) and its id. */
    record Cursor(Instant created, Long cost, UUID id) {
        static String after(Run run, LiveRunOrder order) {
            long key = order == LiveRunOrder.AGE ? ChronoUnit.MICROS.between(Instant.EPOCH, run.createdAt())
                    : run.usage().inputTokens() + run.usage().outputTokens();
            String raw = order.wire() + ":" + key + ":" + run.id();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text, LiveRunOrder order) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":", 3);
                if (parts.length != 3 || !parts[0].equals(order.wire())) {
                    throw new IllegalArgumentException("not a cursor of this order");
                }
                long key = Long.parseLong(parts[1]);
                UUID id = UUID.fromString(parts[2]);
                return order == LiveRunOrder.AGE ? new Cursor(Instant.EPOCH.plus(key, ChronoUnit.MICROS), null, id)
                        : new Cursor(null, key, id);
            } catch (RuntimeException e) {
                throw ValidationException.field("cursor", "is not a cursor returned by this API for orderBy="
                        + order.wire());
            }
        }
    }
}
