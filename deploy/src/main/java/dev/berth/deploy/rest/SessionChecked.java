package dev.berth.deploy.rest;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a streaming route whose session (path parameter {@code id}) must exist and be the
 * caller's before its response starts; {@link StreamSessionFilter} looks it up once and the
 * method reads it from {@link StreamedSession}.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface SessionChecked {
}
