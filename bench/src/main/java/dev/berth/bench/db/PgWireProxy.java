package dev.berth.bench.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of PostgreSQL that counts the statements passing through it
 * (see {@link PgWireParser}). Berth is pointed at the proxy only in the database-cost scenario,
 * because the extra hop would add latency to the others.
 */
public final class PgWireProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final StatementTally tally = new StatementTally();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private PgWireProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("pg-proxy-accept").start(this::acceptLoop);
    }

    public static PgWireProxy start(String targetHost, int targetPort) {
        try {
            return new PgWireProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public StatementTally tally() {
        return tally;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                PgWireParser parser = new PgWireParser(tally.connection());
                Thread.ofVirtual().start(() -> pump(client, upstream, parser));
                Thread.ofVirtual().start(() -> pump(upstream, client, null));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("pg proxy: " + e.getMessage());
                }
            }
        }
    }

    /** Copies one direction until either side closes; the client-to-server side is parsed. */
    private void pump(Socket from, Socket to, PgWireParser parser) {
        byte[] buf = new byte[32 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (parser != null) {
                    parser.feed(buf, 0, n);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a closed connection: the normal end of a pooled connection's life
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        sockets.forEach(PgWireProxy::closeQuietly);
        acceptor.interrupt();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing is best effort
        }
    }
}
