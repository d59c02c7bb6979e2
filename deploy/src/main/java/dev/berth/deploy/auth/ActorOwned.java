package dev.berth.deploy.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route about one object of an end user (its {@code id} path parameter), which an
 * {@link dev.berth.runtime.domain.Role#ACTOR} credential may reach only when the object is its
 * own actor's: otherwise {@link ActorScopeFilter} answers 404, as for an unknown object.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ActorOwned {
    Kind value();

    /** What the {@code id} path parameter names. */
    enum Kind {
        SESSION,
        RUN,
        MEMORY
    }
}
