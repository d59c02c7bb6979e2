package dev.berth.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.berth.runtime.tools.ToolRegistry;
import dev.berth.tool.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The package rules of runtime-core (ADR 0019, the graph in docs/architecture.md): no package
 * depends on another that depends back on it, and the ports and the domain never reach up to
 * the services or the engine.
 */
class PackageRulesTest {
    private static final JavaClasses RUNTIME = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth.runtime");

    @Test
    void noPackageCycles() {
        // Given every package of runtime-core, each its own slice (run.paused apart from run)
        // When their dependencies are followed, Then no path leads back to where it started
        slices().matching("dev.berth.runtime.(**)").should().beFreeOfCycles().check(RUNTIME);
    }

    @Test
    void portsAndDomainStayBelowTheServices() {
        // Given the domain types, the ports (every *Store interface) and the shared helpers
        // When their dependencies are followed, Then none reaches a service, the engine or the tools
        noClasses().that().resideInAnyPackage("dev.berth.runtime.domain..", "dev.berth.runtime.port..",
                        "dev.berth.runtime.error..", "dev.berth.runtime.internal..", "dev.berth.runtime.config..",
                        "dev.berth.runtime.input..")
                .or().haveSimpleNameEndingWith("Store")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Service")
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.berth.runtime.engine..",
                        "dev.berth.runtime.service..", "dev.berth.runtime.tools..")
                .check(RUNTIME);
    }

    @Test
    void noToolReachesTheToolRegistry() {
        // Given every tool provider: the ToolRegistry collects them all, and AgentService needs the registry
        // When their dependencies are followed, however far
        // Then none reaches the registry: a tool that did (MemoryTools through AgentService) made a bean loop
        noClasses().that().implement(ToolProvider.class)
                .should().transitivelyDependOnClassesThat().belongToAnyOf(ToolRegistry.class)
                .check(RUNTIME);
    }

    @Test
    void theLifecycleDoesNotKnowTheEngine() {
        // Given the run package and its sub-packages, When their dependencies are followed,
        // Then none reaches the engine that drives runs (the engine depends on the lifecycle, not back)
        noClasses().that().resideInAPackage("dev.berth.runtime.run..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.berth.runtime.engine..",
                        "dev.berth.runtime.service..")
                .check(RUNTIME);
    }
}
