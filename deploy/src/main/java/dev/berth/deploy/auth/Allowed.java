package dev.berth.deploy.auth;

import dev.berth.runtime.domain.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles that may call a {@code /v1} route, besides {@link Role#ADMIN}, which may call every
 * route of its tenant. Checked by {@link RoleFilter} before the resource runs. {@code @Allowed({})}
 * means admins only. A {@code /v1} route that declares neither this nor {@link PublicRoute} is
 * refused to every caller (it fails closed) and fails {@code RouteRulesTest}. The README's role
 * table lists these declarations.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Allowed {
    Role[] value();
}
