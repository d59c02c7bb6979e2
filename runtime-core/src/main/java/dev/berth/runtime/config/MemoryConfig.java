package dev.berth.runtime.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Long-term memory: embeddings, retrieval ranking, extraction jobs and compaction. */
@ConfigMapping(prefix = "berth.memory")
public interface MemoryConfig {

    /** The logical model name used for embeddings. */
    @WithDefault("text-embedding-3-small")
    String embeddingModel();

    /** Embedding size asked of the model; unset for the model's own. Changing it makes older memories unfindable. */
    Optional<Integer> embeddingDimensions();

    /** Weight of recency against similarity in retrieval, 0 (similarity only) to 1. */
    @WithDefault("0.2")
    double recencyWeight();

    /** Age at which a memory's recency bonus has halved. */
    @WithDefault("30d")
    Duration recencyHalfLife();

    /** Namespaces whose vectors one process keeps cached (least recently used are dropped). */
    @WithDefault("1000")
    int cachedNamespaces();

    /** Whether this process works off extraction jobs. */
    @WithDefault("true")
    boolean extractionEnabled();

    /** How often to look for extraction jobs when no notification arrives. */
    @WithDefault("1s")
    Duration jobPollInterval();

    /** A claimed job whose process died is claimed again after this. */
    @WithDefault("60s")
    Duration jobLeaseTtl();

    /** Attempts before a job is marked failed; the pause doubles after each failed attempt. */
    @WithDefault("5")
    int jobMaxAttempts();

    /** The first pause before a failed job is tried again. */
    @WithDefault("2s")
    Duration jobBackoff();

    /** Share of the event budget kept verbatim after a compaction (the rest is summarised). */
    @WithDefault("0.5")
    double compactionKeep();
}
