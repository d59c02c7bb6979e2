package dev.berth.testsupport.ci;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Under CI ({@code CI=true} in the environment) a skipped test is a failure: a test that aborts
 * (a failed assumption, as tests do when a tool such as {@code kubectl} is missing) fails
 * instead, with the skip's own message, which names what is missing. Elsewhere a skip stays a
 * skip, so a developer without the tool can still run the rest.
 *
 * <p>Registered for every module's tests through the {@code ServiceLoader} file of this module
 * and {@code junit.jupiter.extensions.autodetection.enabled=true}, which the parent POM gives
 * Surefire and Failsafe. The configuration parameter {@value #CI_PARAMETER} overrides the
 * environment (this extension's own tests use it). Stateless and thread safe.
 */
public final class SkipsFailInCi implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    /** A configuration parameter that, when set, decides instead of the environment variable {@code CI}. */
    public static final String CI_PARAMETER = "berth.ci";

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw judged(context, throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw judged(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw judged(context, throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw judged(context, throwable);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw judged(context, throwable);
    }

    private static Throwable judged(ExtensionContext context, Throwable throwable) {
        return judged(throwable, inCi(context.getConfigurationParameter(CI_PARAMETER), System.getenv("CI")));
    }

    /** What a test's exception becomes: an abort fails under CI; anything else is left as it is. */
    static Throwable judged(Throwable throwable, boolean ci) {
        if (!ci || !(throwable instanceof TestAbortedException)) {
            return throwable;
        }
        AssertionFailedError failure = new AssertionFailedError("skipped under CI=true, where a skip is a failure: "
                + throwable.getMessage(), throwable);
        return failure;
    }

    /** Whether this is CI: the configuration parameter when set, else the environment variable {@code CI}. */
    static boolean inCi(Optional<String> parameter, String environment) {
        return Boolean.parseBoolean(parameter.orElse(environment));
    }
}
