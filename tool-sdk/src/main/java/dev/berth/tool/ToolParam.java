package dev.berth.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a tool parameter, or a component of a record used as a parameter.
 *
 * <p>Every parameter is required in the schema, as strict mode demands. To let the model
 * leave a value out, declare it {@code Optional<T>} (or {@code OptionalInt} ...) or annotate
 * it with any annotation named {@code Nullable}: the schema then admits {@code null}, and
 * {@code null} or an omitted property arrive as an empty {@code Optional} or {@code null}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface ToolParam {

    /** What the value means, written for the model. */
    String description() default "";

    /** The argument name; defaults to the Java parameter name (compile with {@code -parameters}). */
    String name() default "";
}
