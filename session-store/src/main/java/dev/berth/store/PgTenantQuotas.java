package dev.berth.store;

import dev.berth.runtime.domain.Quota;
import dev.berth.runtime.domain.QuotaDefaults;
import dev.berth.runtime.domain.QuotaOverrides;
import dev.berth.runtime.domain.QuotaUse;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.domain.TenantQuotaState;
import dev.berth.runtime.port.TenantQuotas;
import dev.berth.store.internal.DbErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** {@link TenantQuotas} on the reactive pg client: tenant_quotas (the overrides) and tenant_usage (the counts). */
@ApplicationScoped
public class PgTenantQuotas implements TenantQuotas {
    /** One row whatever the tenant has: a tenant with no override or no usage row yet reads as nulls. */
    static final String READ = """
            select q.requests_per_second, q.burst, q.max_live_sessions, q.max_agents, q.max_agent_versions,
                   q.max_memories, q.max_api_keys, q.max_stored_bytes,
                   u.live_sessions, u.agents, u.agent_versions, u.memories, u.api_keys, u.stored_bytes
              from (select $1::uuid as tenant_id) t
              left join tenant_quotas q on q.tenant_id = t.tenant_id
              left join tenant_usage u on u.tenant_id = t.tenant_id""";

    static final String REPLACE = """
            insert into tenant_quotas as q (tenant_id, requests_per_second, burst, max_live_sessions, max_agents,
                                            max_agent_versions, max_memories, max_api_keys, max_stored_bytes)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            on conflict (tenant_id) do update
               set requests_per_second = excluded.requests_per_second, burst = excluded.burst,
                   max_live_sessions = excluded.max_live_sessions, max_agents = excluded.max_agents,
                   max_agent_versions = excluded.max_agent_versions, max_memories = excluded.max_memories,
                   max_api_keys = excluded.max_api_keys, max_stored_bytes = excluded.max_stored_bytes""";

    private final Pool pool;

    @Inject
    public PgTenantQuotas(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<TenantQuotaState> read(TenantId tenant, QuotaDefaults defaults, double requestsPerSecond, double burst) {
        return pool.preparedQuery(READ).execute(Tuple.of(tenant.value()))
                .map(rows -> state(rows.iterator().next(), defaults, requestsPerSecond, burst))
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Void> replace(TenantId tenant, QuotaOverrides overrides) {
        Tuple params = Tuple.tuple().addValue(tenant.value()).addValue(overrides.requestsPerSecond())
                .addValue(overrides.burst());
        for (Quota quota : Quota.values()) {
            Long limit = overrides.count(quota);
            // Every count column is an integer but the byte quota's (V12, V14).
            params.addValue(limit == null || quota == Quota.STORED_BYTES ? limit : (Object) Math.toIntExact(limit));
        }
        return pool.preparedQuery(REPLACE).execute(params).replaceWithVoid().onFailure().transform(DbErrors::translate);
    }

    private static TenantQuotaState state(Row row, QuotaDefaults defaults, double requestsPerSecond, double burst) {
        List<QuotaUse> uses = new ArrayList<>();
        for (Quota quota : Quota.values()) {
            String name = column(quota);
            Long override = row.getLong("max_" + name);
            Long used = row.getLong(name);
            uses.add(new QuotaUse(quota, override == null ? defaults.of(quota) : override, used == null ? 0 : used,
                    override));
        }
        Double rate = row.getDouble("requests_per_second");
        Double size = row.getDouble("burst");
        return new TenantQuotaState(uses, rate == null ? requestsPerSecond : rate, rate, size == null ? burst : size, size);
    }

    /** The quota's column in tenant_usage, and after {@code max_} in tenant_quotas. */
    private static String column(Quota quota) {
        return quota.name().toLowerCase(java.util.Locale.ROOT);
    }
}
