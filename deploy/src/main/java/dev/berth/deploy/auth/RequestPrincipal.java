package dev.berth.deploy.auth;

import dev.berth.runtime.domain.ApiPrincipal;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.AuthenticationException;
import dev.berth.runtime.error.ForbiddenException;
import jakarta.enterprise.context.RequestScoped;

/** Who the current request acts as; set by {@link ApiKeyFilter} before any resource runs. */
@RequestScoped
public class RequestPrincipal {
    private ApiPrincipal principal;

    void set(ApiPrincipal principal) {
        this.principal = principal;
    }

    public ApiPrincipal get() {
        if (principal == null) {
            throw new AuthenticationException("an API key is required: Authorization: Bearer <key>");
        }
        return principal;
    }

    public TenantId tenant() {
        return get().tenant();
    }

    public ApiPrincipal requireAdmin() {
        ApiPrincipal current = get();
        if (!current.admin()) {
            throw new ForbiddenException("this needs an admin API key");
        }
        return current;
    }

    /** Whether an API key authenticated this request (false on the public routes). */
    public boolean present() {
        return principal != null;
    }
}
