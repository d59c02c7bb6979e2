package dev.berth.store;

import dev.berth.runtime.domain.BudgetLimits;
import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.domain.UsageGroup;
import dev.berth.runtime.domain.UsageRow;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.port.BudgetStore;
import dev.berth.store.internal.BudgetJson;
import dev.berth.store.internal.DbErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link BudgetStore} on the reactive pg client: tenant_budgets (V15) and the runs table. */
@ApplicationScoped
public class PgBudgetStore implements BudgetStore {
    static final String LIMITS = "select limits::text from tenant_budgets where tenant_id = $1";
    static final String REPLACE = """
            insert into tenant_budgets (tenant_id, limits) values ($1, $2::text::jsonb)
            on conflict (tenant_id) do update set limits = excluded.limits, updated_at = now()""";
    /**
     * The runs of tenant $1 created in [$3, $4), summed per key ($2: agent, actor or day), keys after
     * $5 (null: all), the first $6 of them. The day is the run's creation day in UTC.
     */
    static final String USAGE = """
            select x.key, count(*) as runs, sum(x.input_tokens) as input_tokens,
                   sum(x.output_tokens) as output_tokens, sum(x.model_calls) as model_calls
              from (select case $2 when 'agent' then r.agent_name
                                   when 'actor' then coalesce(s.actor_id, '')
                                   else to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD') end as key,
                           r.input_tokens, r.output_tokens, r.model_calls
                      from runs r join sessions s on s.id = r.session_id
                     where r.tenant_id = $1 and r.created_at >= $3 and r.created_at < $4) x
             where $5::text is null or x.key > $5
             group by x.key
             order by x.key
             limit $6""";

    private final Pool pool;

    @Inject
    public PgBudgetStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<BudgetLimits> limits(TenantId tenant) {
        return pool.preparedQuery(LIMITS).execute(Tuple.of(tenant.value()))
                .map(rows -> rows.iterator().hasNext()
                        ? BudgetJson.limits(DocumentJson.readObject(rows.iterator().next().getString(0)))
                        : BudgetLimits.NONE)
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Void> replaceLimits(TenantId tenant, BudgetLimits limits) {
        return pool.preparedQuery(REPLACE).execute(Tuple.of(tenant.value(), BudgetJson.write(limits)))
                .replaceWithVoid()
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Page<UsageRow>> usage(TenantId tenant, UsageGroup group, Instant from, Instant to,
            Optional<String> after, int limit) {
        Tuple params = Tuple.of(tenant.value(), group.wire(), utc(from), utc(to), after.orElse(null))
                .addInteger(limit + 1);
        return pool.preparedQuery(USAGE).execute(params)
                .map(rows -> {
                    List<UsageRow> items = new ArrayList<>();
                    for (Row row : rows) {
                        items.add(new UsageRow(row.getString("key"), row.getLong("runs"),
                                row.getLong("input_tokens"), row.getLong("output_tokens"), row.getLong("model_calls")));
                    }
                    // One row more than asked tells that a next page exists; its cursor is the last key shown.
                    if (items.size() > limit) {
                        items = items.subList(0, limit);
                        return new Page<>(items, items.getLast().key());
                    }
                    return new Page<>(items, null);
                })
                .onFailure().transform(DbErrors::translate);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
