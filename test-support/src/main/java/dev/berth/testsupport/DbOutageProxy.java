package dev.berth.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy in front of PostgreSQL that a test can cut, to give Berth processes a database
 * outage without touching the server itself (which other tests share). Point the processes'
 * {@code BERTH_DB_URL} at {@link #url(PostgresDatabase)}.
 *
 * <p>{@link #cut(Mode)} closes every open connection at once (with a reset, as a network
 * failure or a killed server leaves them) and, until {@link #restore()}, either refuses new
 * connections ({@link Mode#REFUSE}: accepted and reset at once, the client fails fast) or
 * holds them unanswered ({@link Mode#BLACKHOLE}: the client waits for its own timeout; they
 * are reset at restore). The server sees its backends' connections drop, so a transaction in
 * flight rolls back, and a statement that had committed may lose only its answer.
 *
 * <p>Thread safe; one virtual thread per direction of each connection.
 */
public final class DbOutageProxy implements AutoCloseable {
    /** What a cut proxy does with a new connection. */
    public enum Mode {
        /** Reset at once: the client sees the connection fail immediately. */
        REFUSE,
        /** Accepted, never answered: the client waits until its own timeout (or the restore). */
        BLACKHOLE
    }

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();
    private volatile Mode cut;
    private volatile boolean closed;

    private DbOutageProxy(InetSocketAddress target) {
        this.target = target;
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("db-proxy-accept").start(this::acceptLoop);
    }

    /** A proxy on a free loopback port forwarding to {@code host:port}. */
    public static DbOutageProxy to(String host, int port) {
        return new DbOutageProxy(new InetSocketAddress(host, port));
    }

    /** A proxy in front of the server of {@code database}. */
    public static DbOutageProxy inFrontOf(PostgresDatabase database) {
        URI url = URI.create(database.url());
        return to(url.getHost(), url.getPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code database}'s URL ({@code postgresql://host:port/name}) through this proxy. */
    public String url(PostgresDatabase database) {
        URI url = URI.create(database.url());
        return "postgresql://127.0.0.1:" + port() + url.getPath();
    }

    /** Closes every open connection and, until {@link #restore()}, treats new ones as {@code mode} says. */
    public void cut(Mode mode) {
        cut = mode;
        cuts.incrementAndGet();
        open.forEach(DbOutageProxy::reset);
    }

    /** Closes every open connection and refuses new ones, until {@link #restore()}. */
    public void cut() {
        cut(Mode.REFUSE);
    }

    /** Forwards new connections again; connections held by a blackhole are reset now. */
    public void restore() {
        cut = null;
        held.forEach(DbOutageProxy::reset);
        held.clear();
    }

    /**
     * An outage of {@code length}: cut, wait, restore. The wait is the scenario itself (how long
     * the database is gone), not a synchronisation.
     */
    public void outage(Duration length, Mode mode) {
        cut(mode);
        try {
            LockSupport.parkNanos(length.toNanos());
        } finally {
            restore();
        }
    }

    public boolean isCut() {
        return cut != null;
    }

    /** Connections refused or blackholed while cut, since the start. */
    public long refusedConnections() {
        return refused.get();
    }

    /** Connections being forwarded now (both sockets of a pair count once each). */
    public int openSockets() {
        return open.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(DbOutageProxy::reset);
        held.forEach(DbOutageProxy::reset);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            Mode mode = cut;
            if (mode != null) {
                refuse(client, mode);
            } else {
                Thread.ofVirtual().name("db-proxy-connect").start(() -> forward(client));
            }
        }
    }

    private void refuse(Socket client, Mode mode) {
        refused.incrementAndGet();
        if (mode == Mode.REFUSE) {
            reset(client);
        } else {
            held.add(client);
            if (cut == null) { // restored meanwhile
                held.remove(client);
                reset(client);
            }
        }
    }

    private void forward(Socket client) {
        Socket upstream = new Socket();
        long cutsBefore = cuts.get();
        try {
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            upstream.connect(target, 5_000);
        } catch (IOException e) {
            reset(client);
            reset(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        // A cut that came while this pair was being set up must not leave it forwarding.
        if (cut != null || cuts.get() != cutsBefore) {
            refused.incrementAndGet();
            reset(client);
            reset(upstream);
            return;
        }
        Thread.ofVirtual().name("db-proxy-up").start(() -> pump(client, upstream));
        pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException ignored) {
            // the other side went away, or the proxy was cut
        } finally {
            open.remove(from);
            open.remove(to);
            reset(from);
            reset(to);
        }
    }

    /** Closes with a reset (SO_LINGER 0), as a failed network or a killed server leaves a connection. */
    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
