package dev.berth.deploy.json;

import com.fasterxml.jackson.core.JsonParseException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a JSON document through unchanged while checking that its text is well-formed Unicode,
 * which Jackson does not: it decodes overlong UTF-8 forms (a NUL hidden as {@code C0 80}) and
 * surrogates encoded in UTF-8, and it turns an escaped lone surrogate ({@code "\ud800"}) into a
 * Java string that PostgreSQL refuses, or that is silently stored as {@code ?}. The first fault
 * ends the read with a {@link JsonParseException}, which the API answers with a 400 problem.
 *
 * <p>Checked: strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF,
 * no stray continuation bytes, nothing cut short at the end), and inside JSON strings every
 * {@code \\uD800-\\uDBFF} escape directly followed by a {@code \\uDC00-\\uDFFF} escape and no low
 * one alone. One pass, no buffering beyond the caller's; not thread-safe (one per parse).
 */
final class UnicodeCheckingInputStream extends FilterInputStream {
    private long offset;
    // UTF-8 state: continuation bytes still expected, and the range the next one must fall in.
    private int continuations;
    private int nextMin = 0x80;
    private int nextMax = 0xBF;
    // JSON string state.
    private boolean inString;
    private boolean escaped;
    private int hexDigits = -1;
    private int unit;
    // After a high surrogate escape, its low half must follow at once: a backslash, a 'u', four hex digits.
    private static final int NEED_BACKSLASH = 1;
    private static final int NEED_U = 2;
    private static final int IN_LOW = 3;
    private int lowExpected;

    UnicodeCheckingInputStream(InputStream in) {
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
        utf8(b);
        if (b < 0x80) {
            json((char) b);
        } else if (lowExpected == NEED_BACKSLASH || lowExpected == NEED_U) {
            fail("a lone surrogate (\\u" + hex(unit) + " without its pair)");
        } else {
            hexDigits = -1; // not a valid escape: the parser reports it
            lowExpected = 0;
        }
        offset++;
    }

    private void utf8(int b) throws JsonParseException {
        if (continuations > 0) {
            if (b < nextMin || b > nextMax) {
                fail("malformed UTF-8 (byte 0x" + Integer.toHexString(b) + ")");
            }
            continuations--;
            nextMin = 0x80;
            nextMax = 0xBF;
            return;
        }
        if (b < 0x80) {
            return;
        }
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
            fail("malformed UTF-8 (byte 0x" + Integer.toHexString(b) + ")");
        }
    }

    private void json(char c) throws JsonParseException {
        if (hexDigits >= 0) {
            int digit = Character.digit(c, 16);
            if (digit < 0) {
                hexDigits = -1; // not a valid escape: the parser reports it
                lowExpected = 0;
                return;
            }
            unit = unit * 16 + digit;
            if (++hexDigits == 4) {
                hexDigits = -1;
                codeUnit(unit);
            }
            return;
        }
        if (lowExpected == NEED_BACKSLASH || lowExpected == NEED_U) {
            if (c != (lowExpected == NEED_BACKSLASH ? '\\' : 'u')) {
                fail("a lone surrogate (\\u" + hex(unit) + " without its pair)");
            }
            if (lowExpected == NEED_U) {
                lowExpected = IN_LOW;
                startHex();
            } else {
                lowExpected = NEED_U;
            }
            return;
        }
        if (!inString) {
            inString = c == '"';
            return;
        }
        if (escaped) {
            escaped = false;
            if (c == 'u') {
                startHex();
            }
        } else if (c == '\\') {
            escaped = true;
        } else if (c == '"') {
            inString = false;
        }
    }

    private void startHex() {
        unit = 0;
        hexDigits = 0;
    }

    private void codeUnit(int value) throws JsonParseException {
        boolean high = value >= 0xD800 && value <= 0xDBFF;
        boolean low = value >= 0xDC00 && value <= 0xDFFF;
        if (lowExpected == IN_LOW) {
            lowExpected = 0;
            if (!low) {
                fail("a lone surrogate (a high surrogate followed by \\u" + hex(value) + ")");
            }
            return;
        }
        if (low) {
            fail("a lone surrogate (\\u" + hex(value) + ")");
        }
        if (high) {
            lowExpected = NEED_BACKSLASH;
        }
    }

    private void atEnd() throws JsonParseException {
        if (continuations > 0) {
            fail("malformed UTF-8 (the body ends inside a character)");
        }
    }

    private static String hex(int value) {
        return String.format("%04X", value);
    }

    private void fail(String what) throws JsonParseException {
        throw new JsonParseException(null, "the text is not well-formed Unicode: " + what + " at byte " + offset);
    }
}
