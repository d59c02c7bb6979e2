package dev.berth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Berth as a real process ({@code java -jar quarkus-run.jar}) on a loopback port, for tests
 * that kill, drain and restart it. Its output goes to a log file next to the jar's target.
 * Each process has a free management port of its own (health, metrics), so that several
 * processes and test runs can share a machine.
 */
public final class BerthProcess implements AutoCloseable {
    /** The admin key every process started here is bootstrapped with. */
    public static final String ADMIN_KEY = "brt_test_admin_key_for_berth_processes";

    private final Path jar;
    private final Map<String, String> env;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final Path workDir;
    private Process process;
    /** Where this process's output begins in its log (earlier processes of the same name wrote before it). */
    private long logStart;

    private BerthProcess(Path jar, Map<String, String> env, int port, int managementPort, Path log, Path workDir) {
        this.jar = jar;
        this.env = env;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.workDir = workDir;
    }

    /**
     * Berth as a newcomer runs it: no database and no model configured, so it starts an
     * embedded PostgreSQL with its data under {@code workDir} and the offline demo model.
     */
    public static BerthProcess standalone(String name, Path workDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BERTH_BOOTSTRAP_KEY", ADMIN_KEY);
        int port = freePort();
        env.put("BERTH_HTTP_PORT", Integer.toString(port));
        int managementPort = freePort();
        env.put("BERTH_MANAGEMENT_PORT", Integer.toString(managementPort));
        Path jar = locateJar();
        return new BerthProcess(jar, env, port, managementPort,
                jar.getParent().getParent().resolve("berth-" + name + ".log"), workDir);
    }

    /**
     * A process against {@code dbUrl} and the model at {@code modelUrl} (an OpenAI-compatible
     * base URL), with extra environment such as {@code BERTH_ENGINE_LEASE_TTL}.
     */
    /** The count quotas' settings, after {@code BERTH_QUOTA_MAX_}. */
    private static final java.util.List<String> QUOTAS = java.util.List.of("LIVE_SESSIONS", "AGENTS", "AGENT_VERSIONS",
            "MEMORIES", "API_KEYS", "STORED_BYTES");

    public static BerthProcess create(String name, String dbUrl, String modelUrl, Map<String, String> extraEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BERTH_DB_URL", dbUrl);
        env.put("BERTH_MODEL_ENDPOINT", modelUrl);
        env.put("BERTH_MODEL_FLAVOUR", "openai");
        env.put("BERTH_BOOTSTRAP_KEY", ADMIN_KEY);
        env.put("BERTH_ENGINE_OWNER_ID", name);
        // Tests drive their one tenant far above the production rate limit (ADR 0029) with polls and
        // bursts; a test of the limit itself (RateLimitIT) sets its own through extraEnv.
        env.put("BERTH_QUOTA_REQUESTS_PER_SECOND", "1000000");
        env.put("BERTH_QUOTA_BURST", "1000000");
        // And past the count quotas (ADR 0031), which QuotaIT sets for itself.
        for (String quota : QUOTAS) {
            env.put("BERTH_QUOTA_MAX_" + quota, "1000000000");
        }
        env.putAll(extraEnv);
        int port = freePort();
        env.put("BERTH_HTTP_PORT", Integer.toString(port));
        int managementPort = freePort();
        env.put("BERTH_MANAGEMENT_PORT", Integer.toString(managementPort));
        Path jar = locateJar();
        Path log = jar.getParent().getParent().resolve("berth-" + name + ".log");
        return new BerthProcess(jar, env, port, managementPort, log, null);
    }

    /** Starts the process and waits until it is ready (at most 90 s). */
    public BerthProcess start() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The child sees only what the test chose, not database or model settings of the caller.
        builder.environment().keySet().removeIf(key -> key.startsWith("BERTH_"));
        builder.environment().putAll(env);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        try {
            logStart = Files.exists(log) ? Files.size(log) : 0;
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(Duration.ofSeconds(90));
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The management interface (health at {@code /q/health/*}, metrics at {@code /q/metrics}). */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the process gets no chance to release anything. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: the process drains and exits. */
    public void stop() {
        process.destroy();
        waitForExit(Duration.ofSeconds(60));
    }

    public Path log() {
        return log;
    }

    /** The lines this process has written to its log so far (not those of earlier processes of the same name). */
    public List<String> logLines() {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(logStart);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (alive()) {
            kill();
        }
    }

    private void waitForExit(Duration max) {
        try {
            if (!process.waitFor(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Duration max) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(max);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Berth exited while starting; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            // A readiness poll, not a synchronisation: the process is a separate program we can only ask.
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        throw new IllegalStateException("Berth was not ready within " + max + "; see " + log);
    }

    /** The packaged application: {@code deploy/target/quarkus-app/quarkus-run.jar} above the working directory. */
    static Path locateJar() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("deploy/target/quarkus-app/quarkus-run.jar");
            if (Files.exists(candidate)) {
                return candidate;
            }
            Path inModule = dir.resolve("target/quarkus-app/quarkus-run.jar");
            if (Files.exists(inModule)) {
                return inModule;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no packaged Berth found: build it with 'mvn package' first");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
