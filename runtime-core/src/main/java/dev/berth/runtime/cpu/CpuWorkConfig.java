package dev.berth.runtime.cpu;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.OptionalInt;

/** The pool that runs CPU-heavy work off the event loops ({@link CpuWork}). */
@ConfigMapping(prefix = "berth.cpu")
public interface CpuWorkConfig {

    /** Threads of the pool; defaults to the number of processors (at least 2). */
    OptionalInt threads();

    /**
     * The share of the threads one tenant may occupy at once (at least one thread), so that
     * another tenant's work always finds a free thread.
     */
    @WithDefault("0.5")
    double tenantShare();

    /**
     * The most tasks waiting in the pool, of all tenants together; one tenant may have at most
     * {@code tenant-share} of them waiting. Work beyond that is refused (the API answers 503,
     * the engine retries the step).
     */
    @WithDefault("1024")
    int maxQueued();

    /**
     * Work on inputs shorter than this many characters runs inline, on the caller's thread: a
     * hop to the pool and back costs more than counting a short text.
     */
    @WithDefault("16384")
    int inlineBelowChars();
}
