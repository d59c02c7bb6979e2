package dev.berth.deploy.auth;

import dev.berth.deploy.platform.PlatformOnly;
import dev.berth.deploy.platform.PlatformPrincipal;
import dev.berth.deploy.error.Problems;
import dev.berth.runtime.domain.ApiPrincipal;
import dev.berth.runtime.domain.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one check of what a credential may call: the route's {@link Allowed} roles (admins may call
 * everything in their tenant). A refusal is a 403 {@code forbidden} problem before the resource
 * runs, so it changes nothing. A route that declares no rule is refused to every caller.
 */
public class RoleFilter {
    private final RequestPrincipal principal;
    private final PlatformPrincipal platform;

    @Inject
    public RoleFilter(RequestPrincipal principal, PlatformPrincipal platform) {
        this.platform = platform;
        this.principal = principal;
    }

    /** After authentication (the principal is known), before the checks of objects and the resource. */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION - 10)
    public Response authorize(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method != null && (method.isAnnotationPresent(PlatformOnly.class) || platform.present())) {
            // The platform's routes take a platform key only; a platform key reaches nothing else.
            return method.isAnnotationPresent(PlatformOnly.class) && platform.present() ? null
                    : forbidden("this route is the platform operator's: it takes a platform key (berth.platform.key-hashes)");
        }
        if (method == null || method.isAnnotationPresent(PublicRoute.class) || !principal.present()) {
            // Not a /v1 resource method (ApiKeyFilter has refused any /v1 request without a credential).
            return null;
        }
        ApiPrincipal caller = principal.get();
        Allowed allowed = method.getAnnotation(Allowed.class);
        if (allowed == null) {
            return forbidden("this route declares no roles, so no credential may call it");
        }
        if (caller.admin() || Arrays.stream(allowed.value()).anyMatch(caller.roles()::contains)) {
            return null;
        }
        String roles = Arrays.stream(allowed.value()).map(Role::wire).collect(Collectors.joining(", "));
        return forbidden("this needs a key with the role admin" + (roles.isEmpty() ? "" : " or one of: " + roles));
    }

    private static Response forbidden(String detail) {
        return Problems.response(Response.Status.FORBIDDEN, "forbidden", "Forbidden", detail).build();
    }
}
