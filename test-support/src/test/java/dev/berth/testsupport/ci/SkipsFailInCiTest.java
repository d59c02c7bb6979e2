package dev.berth.testsupport.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension as the build uses it: found by the ServiceLoader with autodetection on, around
 * sample tests run by a real JUnit Platform launcher. The samples are nested classes, which
 * Surefire does not run on its own.
 */
class SkipsFailInCiTest {

    @Test
    void underCiASkippedTestFailsWithTheSkipsMessage() {
        // Given a test that skips because a tool is missing, and CI=true
        // When it runs
        TestExecutionSummary summary = run(SkipsForAMissingTool.class, "true");

        // Then it failed, not skipped, and the failure names the missing tool
        assertThat(summary.getTestsAbortedCount()).isZero();
        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        assertThat(summary.getFailures().getFirst().getException().getMessage())
                .contains("CI=true").contains("frobnicate is not on the PATH");
    }

    @Test
    void underCiASkipInBeforeAllFailsTheClassesTests() {
        // Given a class whose set-up skips, and CI=true
        // When it runs
        TestExecutionSummary summary = run(SkipsInBeforeAll.class, "true");

        // Then its container fails instead of being skipped
        assertThat(summary.getContainersAbortedCount()).isZero();
        assertThat(summary.getContainersFailedCount()).isEqualTo(1);
        assertThat(summary.getFailures().getFirst().getException().getMessage()).contains("no database here");
    }

    @Test
    void outsideCiASkipStaysASkipAndOtherOutcomesAreUntouched() {
        // Given CI is not set
        // When the samples run
        TestExecutionSummary skipping = run(SkipsForAMissingTool.class, "false");
        TestExecutionSummary failing = run(FailsOnItsOwn.class, "true");

        // Then the skip is a skip, and a real failure stays the same failure even under CI
        assertThat(skipping.getTestsAbortedCount()).isEqualTo(1);
        assertThat(skipping.getTestsFailedCount()).isZero();
        assertThat(failing.getTestsFailedCount()).isEqualTo(1);
        assertThat(failing.getFailures().getFirst().getException()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theParameterDecidesWhenSetAndTheEnvironmentOtherwise() {
        assertThat(SkipsFailInCi.inCi(java.util.Optional.of("true"), null)).isTrue();
        assertThat(SkipsFailInCi.inCi(java.util.Optional.of("false"), "true")).isFalse();
        assertThat(SkipsFailInCi.inCi(java.util.Optional.empty(), "true")).isTrue();
        assertThat(SkipsFailInCi.inCi(java.util.Optional.empty(), null)).isFalse();
    }

    private static TestExecutionSummary run(Class<?> sample, String ci) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(sample))
                .configurationParameters(Map.of("junit.jupiter.extensions.autodetection.enabled", "true",
                        SkipsFailInCi.CI_PARAMETER, ci))
                .build(), listener);
        return listener.getSummary();
    }

    static class SkipsForAMissingTool {
        @Test
        void needsATool() {
            Assumptions.assumeTrue(false, "frobnicate is not on the PATH");
        }
    }

    static class SkipsInBeforeAll {
        @BeforeAll
        static void needsADatabase() {
            Assumptions.assumeTrue(false, "no database here");
        }

        @Test
        void usesIt() {
        }
    }

    static class FailsOnItsOwn {
        @Test
        void breaks() {
            throw new IllegalStateException("broken");
        }
    }
}
