package dev.berth.bench.db;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows the client-to-server half of one PostgreSQL connection (protocol 3) and reports each
 * statement the server is asked to execute, with its SQL text. This stands in for
 * {@code pg_stat_statements} where the server cannot load it: a simple query ({@code Q}) is
 * one statement; in the extended protocol a {@code Parse} names a text, a {@code Bind} ties a
 * portal to it and each {@code Execute} runs it once.
 *
 * <p>Incremental: bytes may arrive split anywhere. An encrypted or unparseable stream turns the
 * parser off for the connection (it then only forwards). Not thread safe: one per connection.
 */
public final class PgWireParser {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    /** Receives the statements of one connection, in order. */
    public interface Listener {
        void executed(String sql);
    }

    private final Listener listener;
    private final Map<String, String> statements = new HashMap<>();
    private final Map<String, String> portals = new HashMap<>();
    private byte[] buffer = new byte[8192];
    private int length;
    private boolean startup = true;
    private boolean disabled;

    public PgWireParser(Listener listener) {
        this.listener = listener;
    }

    public boolean disabled() {
        return disabled;
    }

    /** Takes the next bytes the client sent. */
    public void feed(byte[] data, int offset, int count) {
        if (disabled) {
            return;
        }
        ensure(length + count);
        System.arraycopy(data, offset, buffer, length, count);
        length += count;
        int pos = 0;
        while (!disabled) {
            int consumed = startup ? startupMessage(pos) : typedMessage(pos);
            if (consumed == 0) {
                break;
            }
            pos += consumed;
        }
        System.arraycopy(buffer, pos, buffer, 0, length - pos);
        length -= pos;
    }

    private int startupMessage(int pos) {
        if (length - pos < 8) {
            return 0;
        }
        int size = readInt(pos);
        if (size < 8 || size > MAX_MESSAGE) {
            disabled = true;
            return 0;
        }
        if (length - pos < size) {
            return 0;
        }
        int code = readInt(pos + 4);
        // After an SSL or GSS request the client sends another untyped message (or starts TLS,
        // which we cannot read: sslmode=disable is what the driver uses on loopback).
        startup = code == SSL_REQUEST || code == GSS_REQUEST;
        return size;
    }

    private int typedMessage(int pos) {
        if (length - pos < 5) {
            return 0;
        }
        int size = readInt(pos + 1);
        if (size < 4 || size > MAX_MESSAGE) {
            disabled = true;
            return 0;
        }
        if (length - pos < size + 1) {
            return 0;
        }
        handle((char) buffer[pos], pos + 5, pos + 1 + size);
        return size + 1;
    }

    private void handle(char type, int body, int end) {
        switch (type) {
            case 'Q' -> listener.executed(cstring(body, end));
            case 'P' -> {
                String name = cstring(body, end);
                String sql = cstring(body + utf8Length(name) + 1, end);
                statements.put(name, sql);
            }
            case 'B' -> {
                String portal = cstring(body, end);
                String statement = cstring(body + utf8Length(portal) + 1, end);
                portals.put(portal, statements.getOrDefault(statement, "<unknown prepared statement>"));
            }
            case 'E' -> listener.executed(portals.getOrDefault(cstring(body, end), "<unknown portal>"));
            case 'C' -> {
                // Close of a statement ('S') or portal ('P'): forget it so names can be reused.
                if (end - body > 1) {
                    String name = cstring(body + 1, end);
                    (buffer[body] == 'S' ? statements : portals).remove(name);
                }
            }
            default -> {
                // Sync, Describe, Flush, Terminate, password and copy messages carry no statement.
            }
        }
    }

    private String cstring(int from, int end) {
        int zero = from;
        while (zero < end && buffer[zero] != 0) {
            zero++;
        }
        return new String(buffer, from, zero - from, StandardCharsets.UTF_8);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private int readInt(int pos) {
        return ((buffer[pos] & 0xff) << 24) | ((buffer[pos + 1] & 0xff) << 16) | ((buffer[pos + 2] & 0xff) << 8)
                | (buffer[pos + 3] & 0xff);
    }

    private void ensure(int capacity) {
        if (capacity > buffer.length) {
            byte[] bigger = new byte[Math.max(capacity, buffer.length * 2)];
            System.arraycopy(buffer, 0, bigger, 0, length);
            buffer = bigger;
        }
    }
}
