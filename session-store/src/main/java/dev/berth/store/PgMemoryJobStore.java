package dev.berth.store;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.memory.MemoryJob;
import dev.berth.runtime.memory.MemoryJobStore;
import dev.berth.store.internal.DbErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** {@link MemoryJobStore} on the reactive pg client: claims like runs, with a lease and back-off. */
@ApplicationScoped
public class PgMemoryJobStore implements MemoryJobStore {
    /** The oldest due job, skipping rows other claimers hold; a running job with an expired lease is due again. */
    static final String CLAIM = """
            with candidate as (
                select id from memory_jobs
                 where (status = 'queued' and not_before <= now())
                    or (status = 'running' and lease_expires_at < now())
                 order by not_before limit 1
                 for update skip locked)
            update memory_jobs j set status = 'running', attempts = j.attempts + 1, lease_owner = $1,
                   lease_expires_at = now() + make_interval(secs => $2), updated_at = now()
              from candidate c where j.id = c.id
            returning j.id, j.tenant_id, j.session_id, j.run_id, j.actor_id, j.agent_name, j.agent_version,
                      j.from_seq, j.through_seq, j.attempts""";

    /** Fenced by owner and attempt: a worker whose job was claimed again meanwhile changes nothing. */
    static final String COMPLETE = """
            update memory_jobs set status = 'done', lease_owner = null, lease_expires_at = null, updated_at = now()
             where id = $1 and lease_owner = $2 and attempts = $3 and status = 'running'""";

    static final String RETRY = """
            update memory_jobs set status = case when $5 then 'failed' else 'queued' end, lease_owner = null,
                   lease_expires_at = null, not_before = now() + make_interval(secs => $4), last_error = $6,
                   updated_at = now()
             where id = $1 and lease_owner = $2 and attempts = $3 and status = 'running'""";

    private final Pool pool;

    @Inject
    public PgMemoryJobStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Optional<MemoryJob>> claimNext(String owner, Duration leaseTtl) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(owner, leaseTtl.toMillis() / 1000.0))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<MemoryJob>empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new MemoryJob(r.getUUID("id"), new TenantId(r.getUUID("tenant_id")),
                            r.getUUID("session_id"), r.getUUID("run_id"), r.getString("actor_id"),
                            r.getString("agent_name"), r.getInteger("agent_version"), r.getLong("from_seq"),
                            r.getLong("through_seq"), r.getInteger("attempts"), owner));
                })
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Void> complete(MemoryJob job) {
        return pool.preparedQuery(COMPLETE).execute(Tuple.of(job.id(), job.owner(), job.attempts()))
                .replaceWithVoid()
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Void> retry(MemoryJob job, Duration delay, String error, boolean giveUp) {
        return pool.preparedQuery(RETRY)
                .execute(Tuple.of(job.id(), job.owner(), job.attempts(), delay.toMillis() / 1000.0, giveUp, error))
                .replaceWithVoid()
                .onFailure().transform(DbErrors::translate);
    }

    @Override
    public Uni<Optional<String>> statusOfRun(TenantId tenant, UUID runId) {
        return pool.preparedQuery("select status from memory_jobs where tenant_id = $1 and run_id = $2")
                .execute(Tuple.of(tenant.value(), runId))
                .map(rows -> rows.size() == 0 ? Optional.<String>empty()
                        : Optional.of(rows.iterator().next().getString("status")))
                .onFailure().transform(DbErrors::translate);
    }
}
