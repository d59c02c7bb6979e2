package dev.berth.deploy.json;

import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;

/**
 * Puts a {@link Utf8CheckingInputStream} in front of every byte source the application's JSON
 * mapper parses (request bodies arrive as streams). Character sources are the application's own
 * strings and are passed through.
 */
final class WellFormedUtf8Input extends InputDecorator {
    private static final long serialVersionUID = 1L;

    @Override
    public InputStream decorate(IOContext context, InputStream in) {
        return new Utf8CheckingInputStream(in);
    }

    @Override
    public InputStream decorate(IOContext context, byte[] source, int offset, int length) {
        return new Utf8CheckingInputStream(new ByteArrayInputStream(source, offset, length));
    }

    @Override
    public Reader decorate(IOContext context, Reader reader) {
        return reader;
    }
}
