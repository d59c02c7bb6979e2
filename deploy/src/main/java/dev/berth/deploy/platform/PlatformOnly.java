package dev.berth.deploy.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route of the platform operator: only a platform key may call it; every tenant key, admin
 * included, gets 403 forbidden (checked by {@code RoleFilter}). Declared instead of {@code @Allowed}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PlatformOnly {
}
