package dev.berth.deploy.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.1 request exactly as it goes on the wire: the request line's target is sent as given
 * (already percent-encoded, or not), headers as given (no validation), and the body framed as
 * {@link Framing} says. {@code head} replaces the whole head when set (request line and headers).
 */
public record RawRequest(String method, String target, List<String[]> headers, byte[] body, Framing framing,
        String version, byte[] head, boolean halfClose) {

    /** How the body is delimited on the wire. */
    public enum Framing {
        /** {@code Content-Length} with the body's true length. */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}, in chunks of random sizes. */
        CHUNKED,
        /** No framing header at all (the headers, if any, say what they say). */
        NONE
    }

    public RawRequest {
        headers = List.copyOf(headers);
    }

    public static RawRequest of(String method, String target, List<String[]> headers, byte[] body) {
        return new RawRequest(method, target, headers, body, Framing.LENGTH, "HTTP/1.1", null, false);
    }

    public RawRequest withHeader(String name, String value) {
        List<String[]> more = new ArrayList<>(headers);
        more.add(new String[] {name, value});
        return new RawRequest(method, target, more, body, framing, version, head, halfClose);
    }

    public RawRequest withoutHeader(String name) {
        List<String[]> fewer = new ArrayList<>(headers);
        fewer.removeIf(h -> h[0].equalsIgnoreCase(name));
        return new RawRequest(method, target, fewer, body, framing, version, head, halfClose);
    }

    public RawRequest withBody(byte[] newBody) {
        return new RawRequest(method, target, headers, newBody, framing, version, head, halfClose);
    }

    public RawRequest withTarget(String newTarget) {
        return new RawRequest(method, target == null ? null : newTarget, headers, body, framing, version, head,
                halfClose);
    }

    public RawRequest withMethod(String newMethod) {
        return new RawRequest(newMethod, target, headers, body, framing, version, head, halfClose);
    }

    public RawRequest withFraming(Framing newFraming) {
        return new RawRequest(method, target, headers, body, newFraming, version, head, halfClose);
    }

    public RawRequest withVersion(String newVersion) {
        return new RawRequest(method, target, headers, body, framing, newVersion, head, halfClose);
    }

    /** Sends {@code rawHead} (request line and headers, up to and including the blank line) instead of building one. */
    public RawRequest withRawHead(String rawHead) {
        return new RawRequest(method, target, headers, body, framing, version,
                rawHead.getBytes(StandardCharsets.ISO_8859_1), halfClose);
    }

    /** Closes the sending half after the request, so that a server waiting for more bytes sees the end. */
    public RawRequest halfClosed() {
        return new RawRequest(method, target, headers, body, framing, version, head, true);
    }

    public String describe() {
        return method + " " + (target.length() > 120 ? target.substring(0, 120) + "...(" + target.length() + ")" : target);
    }
}
