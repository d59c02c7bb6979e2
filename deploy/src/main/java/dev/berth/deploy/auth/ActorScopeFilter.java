package dev.berth.deploy.auth;

import dev.berth.runtime.domain.Session;
import dev.berth.runtime.error.NotFoundException;
import dev.berth.runtime.memory.MemoryService;
import dev.berth.runtime.run.RunService;
import dev.berth.runtime.service.SessionService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Confines an {@link dev.berth.runtime.domain.Role#ACTOR} credential to its own actor's objects:
 * on an {@link ActorOwned} route, an object of another actor answers 404, exactly as an unknown
 * one, so a session or run id alone never reaches another user's data. Other credentials pass
 * without a lookup (their tenant scoping is the stores' own).
 */
public class ActorScopeFilter {
    private final RequestPrincipal principal;
    private final SessionService sessions;
    private final RunService runs;
    private final MemoryService memories;

    @Inject
    public ActorScopeFilter(RequestPrincipal principal, SessionService sessions, RunService runs, MemoryService memories) {
        this.principal = principal;
        this.sessions = sessions;
        this.runs = runs;
        this.memories = memories;
    }

    /** After the role check, before the stream's session lookup and the resource. */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION - 5)
    public Uni<Void> confine(ResourceInfo resource, UriInfo uri) {
        ActorOwned owned = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(ActorOwned.class);
        if (owned == null || !principal.present() || principal.actorScope().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String raw = uri.getPathParameters().getFirst("id");
        String what = owned.value().name().toLowerCase(Locale.ROOT);
        return Uni.createFrom().deferred(() -> ownerOf(owned.value(), parse(raw, what)))
                .invoke(actor -> principal.requireOwn(actor, what, raw)).replaceWithVoid();
    }

    private Uni<Optional<String>> ownerOf(ActorOwned.Kind kind, UUID id) {
        var tenant = principal.tenant();
        return switch (kind) {
            case SESSION -> sessions.get(tenant, id).map(Session::actorId).map(Optional::of);
            case RUN -> runs.get(tenant, id).chain(run -> sessions.get(tenant, run.sessionId()))
                    .map(Session::actorId).map(Optional::of);
            case MEMORY -> memories.get(tenant, id).map(record -> Optional.ofNullable(record.actorId()));
        };
    }

    /** As the resources do: a malformed id names nothing, so it is a 404 like any unknown id. */
    private static UUID parse(String raw, String what) {
        try {
            return UUID.fromString(raw);
        } catch (RuntimeException e) {
            throw new NotFoundException(what, raw);
        }
    }
}
