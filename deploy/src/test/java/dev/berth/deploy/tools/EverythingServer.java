package dev.berth.deploy.tools;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The MCP reference server {@code @modelcontextprotocol/server-everything} from npm, installed
 * once under {@code target/mcp-everything} (reruns reuse it) with {@code npm ci} from the lock file
 * in {@code src/test/npm/mcp-everything}, so every dependency is the version and content the lock
 * file names (it records integrity hashes, no download addresses), and started over streamable
 * HTTP. Without npm the tests fail with a message saying so: they never skip silently.
 */
final class EverythingServer implements AutoCloseable {
    /** Pinned (with its dependencies, in the lock file), so a new release cannot change what the tests see. */
    static final String PACKAGE = "@modelcontextprotocol/server-everything@2026.8.31";
    private static final Path LOCKED = Path.of("src", "test", "npm", "mcp-everything").toAbsolutePath();
    private static final Path PREFIX = Path.of("target", "mcp-everything").toAbsolutePath();

    private final Process process;
    private final int port;

    private EverythingServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The installed launcher, installing it first if needed. */
    static Path install() throws IOException, InterruptedException {
        Path bin = PREFIX.resolve("node_modules/.bin/mcp-server-everything");
        if (Files.isExecutable(bin)) {
            return bin;
        }
        Files.createDirectories(PREFIX);
        for (String file : new String[] {"package.json", "package-lock.json"}) {
            Files.copy(LOCKED.resolve(file), PREFIX.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--prefix", PREFIX.toString(), "--no-audit", "--no-fund")
                    .redirectErrorStream(true)
                    .redirectOutput(PREFIX.resolve("npm-install.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("These tests need npm (Node.js 18 or newer) on the PATH to install the MCP"
                    + " reference server " + PACKAGE + ": " + e.getMessage(), e);
        }
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci of " + PACKAGE + " (from " + LOCKED + ") failed; see "
                    + PREFIX.resolve("npm-install.log"));
        }
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("npm installed " + PACKAGE + " but " + bin + " is missing");
        }
        return bin;
    }

    /** Starts {@code mcp-server-everything streamableHttp} on a free port; serves {@code /mcp}. */
    static EverythingServer startStreamableHttp(Path bin, Path log) throws IOException {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(bin.toString(), "streamableHttp")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PORT", Integer.toString(port));
        EverythingServer server = new EverythingServer(builder.start(), port);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> server.listening() || !server.process.isAlive());
        if (!server.process.isAlive()) {
            throw new IllegalStateException("mcp-server-everything exited; see " + log);
        }
        return server;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }
}
