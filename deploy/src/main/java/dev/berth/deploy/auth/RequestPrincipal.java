package dev.berth.deploy.auth;

import dev.berth.runtime.domain.ApiPrincipal;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.AuthenticationException;
import dev.berth.runtime.error.ForbiddenException;
import dev.berth.runtime.error.NotFoundException;
import jakarta.enterprise.context.RequestScoped;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the current request acts as; set by {@link ApiKeyFilter} before any resource runs. Which
 * routes it may call is checked by {@link RoleFilter}; resources ask it only for the tenant and,
 * for an actor credential, the actor its listings and new sessions are confined to.
 */
@RequestScoped
public class RequestPrincipal {
    private ApiPrincipal principal;

    void set(ApiPrincipal principal) {
        this.principal = principal;
    }

    public ApiPrincipal get() {
        if (principal == null) {
            throw new AuthenticationException("an API key or token is required: Authorization: Bearer <key or token>");
        }
        return principal;
    }

    public TenantId tenant() {
        return get().tenant();
    }

    /** The end user an actor credential stands for; empty for any other credential. */
    public Optional<String> actorScope() {
        return get().actor() ? Optional.of(get().actorId()) : Optional.empty();
    }

    /**
     * The actor a request names ({@code actorId} of a body or query), confined to an actor
     * credential's own: given for another actor, it is refused; left out, it is the credential's.
     */
    public String confineActor(String field, String requested) {
        Optional<String> own = actorScope();
        if (own.isEmpty()) {
            return requested;
        }
        if (requested != null && !Objects.equals(requested, own.get())) {
            throw new ForbiddenException("an actor key acts only for its own actor: leave out " + field
                    + " or give '" + own.get() + "'");
        }
        return own.get();
    }

    /**
     * The one rule of actor confinement for an object already found: to an actor credential, an object
     * of another actor (or of none) is unknown, a 404 exactly like a missing one. Any other credential
     * sees it. Used by ActorScopeFilter for ids in paths and by resources for ids in bodies.
     */
    public void requireOwn(Optional<String> owner, String what, String id) {
        Optional<String> own = actorScope();
        if (own.isPresent() && !owner.map(own.get()::equals).orElse(false)) {
            throw new NotFoundException(what, id);
        }
    }

    /** Whether an API key authenticated this request (false on the public routes). */
    public boolean present() {
        return principal != null;
    }
}
