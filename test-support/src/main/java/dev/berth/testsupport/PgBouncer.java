package dev.berth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real PgBouncer ({@code /usr/sbin/pgbouncer}, Debian's {@code pgbouncer} package) in
 * <b>transaction</b> pooling mode in front of a {@link PostgresDatabase}, as Azure Database for
 * PostgreSQL Flexible Server runs it on port 6432: a client's consecutive transactions may run
 * on different server connections. The pool is small ({@link #POOL_SIZE} server connections) so
 * that pooling really multiplexes Berth's connections, and nothing is ignored in the startup
 * packet (PgBouncer's default, and Azure's). It listens on a free loopback port, trusts every
 * user, and writes its log next to its configuration; a failed start shows the log.
 *
 * <p>PgBouncer refuses to run as root: under uid 0 (CI containers) it is started with
 * {@code -u postgres} (or {@code nobody}), and its directory is made readable for that user.
 */
public final class PgBouncer implements AutoCloseable {
    /** The Debian package that provides the binary; named in every message about a missing one. */
    public static final String PACKAGE = "pgbouncer";
    /** Server connections per database and user. */
    public static final int POOL_SIZE = 5;
    private static final List<String> BINARIES = List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer");

    private final PostgresDatabase target;
    private final Path dir;
    private final int port;
    private Process process;

    private PgBouncer(PostgresDatabase target, Path dir, int port) {
        this.target = target;
        this.dir = dir;
        this.port = port;
    }

    /** The pgbouncer binary, when installed. */
    public static Optional<Path> binary() {
        return BINARIES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Starts PgBouncer in transaction mode in front of {@code target} and waits until it accepts connections. */
    public static PgBouncer start(PostgresDatabase target) {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "pgbouncer is not installed: apt-get install " + PACKAGE));
        try {
            Path dir = Files.createTempDirectory("berth-pgbouncer");
            PgBouncer bouncer = new PgBouncer(target, dir, freePort());
            bouncer.launch(binary);
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code postgresql://127.0.0.1:port/database}: the form of {@code BERTH_DB_URL}, through the pooler. */
    public String url() {
        return "postgresql://127.0.0.1:" + port + "/" + target.name();
    }

    public String jdbcUrl() {
        return "jdbc:" + url() + "?prepareThreshold=0";
    }

    public int port() {
        return port;
    }

    /** What PgBouncer logged so far (connections, errors such as "got packet 'A' ... when not linked"). */
    public String log() {
        try {
            Path log = dir.resolve("pgbouncer.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(could not read the log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private void launch(Path binary) throws IOException {
        Path ini = dir.resolve("pgbouncer.ini");
        Files.writeString(dir.resolve("users.txt"), "\"postgres\" \"\"\n");
        Files.writeString(ini, """
                [databases]
                %s = host=%s port=%d dbname=%s

                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = trust
                auth_file = %s
                pool_mode = transaction
                max_client_conn = 500
                default_pool_size = %d
                logfile = %s
                """.formatted(target.name(), target.host(), target.port(), target.name(), port,
                dir.resolve("users.txt"), POOL_SIZE, dir.resolve("pgbouncer.log")));
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        String user = System.getProperty("user.name");
        if ("root".equals(user)) {
            // pgbouncer will not run as root; the user it switches to must read the files and write the log.
            String unprivileged = userExists("postgres") ? "postgres" : "nobody";
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            command.addAll(List.of("-u", unprivileged));
        }
        command.add(ini.toString());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pgbouncer.out").toFile()).start();
        awaitListening(Duration.ofSeconds(20));
    }

    private void awaitListening(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited while starting:\n" + output() + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                // not listening yet: a readiness poll of a separate program
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        close();
        throw new IllegalStateException("pgbouncer did not listen on " + port + " within " + max + ":\n" + output()
                + log());
    }

    private String output() {
        try {
            Path out = dir.resolve("pgbouncer.out");
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean userExists(String name) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(line -> line.startsWith(name + ":"));
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
