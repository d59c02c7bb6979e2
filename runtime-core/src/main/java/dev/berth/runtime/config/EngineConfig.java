package dev.berth.runtime.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How this process claims and executes runs. */
@ConfigMapping(prefix = "berth.engine")
public interface EngineConfig {

    /** Whether this process executes runs at all (an API-only process sets false). */
    @WithDefault("true")
    boolean enabled();

    /** This process's owner id in leases; defaults to the host name plus a random suffix. */
    Optional<String> ownerId();

    /** The most runs this process executes at once. */
    @WithDefault("64")
    int maxConcurrentRuns();

    /** How long a lease lasts without a heartbeat; another process takes the run over after it. */
    @WithDefault("15s")
    Duration leaseTtl();

    /** How often leases are renewed; well under the lease TTL. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /** How often to look for claimable runs when no notification arrives. */
    @WithDefault("1s")
    Duration pollInterval();

    /** On shutdown, how long the step in flight may take before its lease is released anyway. */
    @WithDefault("10s")
    Duration drainGrace();

    /**
     * How often this process looks for expired sessions. Every process sweeps; concurrent
     * sweeps skip each other's rows, so running it everywhere is safe.
     */
    @WithDefault("10s")
    Duration sweepInterval();

    /** The most events read to build a model call's context (a bounded window). */
    @WithDefault("200")
    int contextMaxEvents();

    /**
     * The most failed attempts of a run, across claims and processes, before it fails with
     * {@code attempts_exhausted} instead of being claimed again. An attempt fails when its claim
     * gives the run back after its steps kept failing, or when its lease expires (the process
     * died); a committed step sets the count back to 0 (ADR 0021).
     */
    @WithDefault("5")
    int maxAttempts();

    /** The default timeout of one tool call. */
    @WithDefault("60s")
    Duration toolTimeout();

    /** Tool output longer than this many characters is truncated with a marker. */
    @WithDefault("65536")
    int toolMaxOutputChars();

    /**
     * Whether model calls are streamed so that answer deltas reach SSE clients on any process
     * while the model is still generating (best effort, via NOTIFY).
     */
    @WithDefault("true")
    boolean streamDeltas();

    /**
     * Deltas are gathered and published at most this often; an answer that arrives whole
     * within the interval is not published as deltas at all (its committed message follows at once).
     */
    @WithDefault("50ms")
    Duration deltaInterval();

    /**
     * How often a tool call that fails with a retryable {@code ToolException} is tried again
     * (within the same step, with the same idempotency key) before the model reads the error.
     */
    @WithDefault("2")
    int toolMaxRetries();

    /** The pause before the first retry of a tool call; doubled for each further retry. */
    @WithDefault("200ms")
    Duration toolRetryBackoff();

    /**
     * While the database cannot be reached, a run's step, or its commit, is tried again after this
     * pause, doubled after each further failure up to {@link #dbRetryMaxBackoff()}. The run stays
     * in memory meanwhile, with the model answer it holds (ADR 0025).
     */
    @WithDefault("200ms")
    Duration dbRetryBackoff();

    /** The longest pause between two tries while the database cannot be reached (ADR 0025). */
    @WithDefault("2s")
    Duration dbRetryMaxBackoff();
}
