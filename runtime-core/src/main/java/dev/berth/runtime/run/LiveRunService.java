package dev.berth.runtime.run;

import dev.berth.runtime.domain.Page;
import dev.berth.runtime.domain.TenantId;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The tenant's live runs, for operators: which are old, which cost the most (ADR 0033). */
@ApplicationScoped
public class LiveRunService {
    private final LiveRunStore store;

    @Inject
    public LiveRunService(LiveRunStore store) {
        this.store = store;
    }

    /** A page of the query; the query validated its parameters when it was made. */
    public Uni<Page<Run>> list(TenantId tenant, LiveRunQuery query) {
        return store.live(tenant, query);
    }
}
