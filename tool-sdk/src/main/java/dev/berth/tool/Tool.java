package dev.berth.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method as a tool an agent may call. The JSON schema of its arguments is
 * derived from the method's parameters (see {@link ToolScanner}); one parameter of type
 * {@link ToolContext} may be declared anywhere and is not part of the schema.
 *
 * <p>Threading: a method returning {@link java.util.concurrent.CompletionStage} is
 * asynchronous and must not block; any other method is blocking and runs on a virtual
 * thread. Calls may run concurrently, so the object holding the method must be thread safe.
 *
 * <p>Errors: the method is only called with arguments that fit its schema. Throw
 * {@link ToolException} to report a failure to the model (retryable or not, with detail for
 * the operator); any other exception is passed to the runtime as it was thrown. Calls are
 * at-least-once: use {@link ToolContext#idempotencyKey()} for side effects.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tool {

    /** The tool name the model sees; defaults to the method name in snake_case. */
    String name() default "";

    /** What the tool does, written for the model. */
    String description();

    /** Whether a human must approve each call before it runs. */
    boolean requiresApproval() default false;
}
