package dev.berth.deploy.json;

import com.fasterxml.jackson.core.JsonParseException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a request body through unchanged while checking that it is well-formed UTF-8 (RFC 3629),
 * which Jackson's decoder does not: it reads overlong forms ({@code C1 81} as {@code A},
 * {@code C0 80} as NUL), surrogates encoded in UTF-8 and code points above U+10FFFF. Such a body
 * means one thing to Berth and another to any strict reader of the same bytes (a proxy, a WAF, the
 * client's own logs). The first fault ends the read with a {@link JsonParseException}, which the
 * API answers with a 400 {@code malformed-json} problem.
 *
 * <p>Unpaired surrogates given as JSON escapes ({@code "\\ud800"}) are well-formed UTF-8; they are
 * refused after parsing with the other text PostgreSQL cannot store ({@code StorableText}).
 * One pass, no buffering of its own; not thread-safe (one per parse).
 */
final class Utf8CheckingInputStream extends FilterInputStream {
    private long offset;
    // Continuation bytes still expected, and the range the next one must fall in.
    private int continuations;
    private int nextMin = 0x80;
    private int nextMax = 0xBF;

    Utf8CheckingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            atEnd();
        } else {
            check(b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int from, int length) throws IOException {
        int count = super.read(buffer, from, length);
        if (count < 0) {
            atEnd();
        }
        for (int i = 0; i < count; i++) {
            check(buffer[from + i] & 0xFF);
        }
        return count;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check(int b) throws JsonParseException {
        if (continuations > 0) {
            if (b < nextMin || b > nextMax) {
                fail("byte 0x" + Integer.toHexString(b) + " where a continuation byte belongs");
            }
            continuations--;
            nextMin = 0x80;
            nextMax = 0xBF;
        } else if (b >= 0x80) {
            lead(b);
        }
        offset++;
    }

    private void lead(int b) throws JsonParseException {
        if (b >= 0xC2 && b <= 0xDF) {
            continuations = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            continuations = 2;
            nextMin = b == 0xE0 ? 0xA0 : 0x80; // E0: no overlong forms
            nextMax = b == 0xED ? 0x9F : 0xBF; // ED: no surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            continuations = 3;
            nextMin = b == 0xF0 ? 0x90 : 0x80; // F0: no overlong forms
            nextMax = b == 0xF4 ? 0x8F : 0xBF; // F4: nothing above U+10FFFF
        } else {
            // C0 and C1 only start overlong forms; 80-BF only continue; F5-FF are never UTF-8.
            fail("byte 0x" + Integer.toHexString(b) + " cannot start a character");
        }
    }

    private void atEnd() throws JsonParseException {
        if (continuations > 0) {
            fail("the body ends inside a character");
        }
    }

    private void fail(String what) throws JsonParseException {
        throw new JsonParseException(null, "malformed UTF-8: " + what + " (at byte " + offset + ")");
    }
}
