package dev.berth.deploy.fuzz;

import static dev.berth.deploy.fuzz.FuzzCases.pick;

import dev.berth.deploy.fuzz.FuzzCases.FuzzCase;
import dev.berth.deploy.fuzz.OpenApiRoutes.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Requests spoiled at the HTTP level: odd headers, broken framing and request lines, methods and
 * paths the API does not have. They start from the refused base (unknown ids, a body with an
 * unknown field), so that a server which shrugged the oddity off still writes nothing.
 */
final class HttpMutations {
    private HttpMutations() {
    }

    static FuzzCase make(FuzzCases cases, Route route, InputKind kind, RandomGenerator random) {
        RawRequest base = kind == InputKind.WRONG_METHOD ? cases.unknownBase(route, random)
                : cases.refusedBase(route, random);
        return switch (kind) {
            case ODD_HEADERS -> headers(route, base, random);
            case FRAMING -> framing(route, base, random);
            case WRONG_METHOD -> method(cases, route, base, random);
            case UNKNOWN_ROUTE -> {
                String target = pick(List.of(base.target() + "/zzz", base.target() + "/", "/v1/zzz",
                        base.target().replace("/v1/", "/v2/"), base.target() + "//x", "/v1" + base.target()), random);
                yield new FuzzCase(route, kind, target.length() > 80 ? "..." : target, base.withTarget(target));
            }
            default -> throw new IllegalArgumentException(kind.name());
        };
    }

    private static FuzzCase headers(Route route, RawRequest base, RandomGenerator random) {
        int choice = random.nextInt(20);
        String[] header = switch (choice) {
            case 0 -> new String[] {"X-Fuzz", "a".repeat(100_000)};
            case 1 -> new String[] {"X-Fuzz", "a\u0000b"};
            case 2 -> new String[] {"X Fuzz", "space in the name"};
            case 3 -> new String[] {"Accept", "application/xml"};
            case 4 -> new String[] {"Accept", "text/event-stream"};
            case 5 -> new String[] {"Accept", "*/*;q=abc, application/json;q=2"};
            case 6 -> new String[] {"traceparent", "00-" + "f".repeat(5000) + "-01"};
            case 7 -> new String[] {"traceparent", "zz-\u0001-\u00ff"};
            case 8 -> new String[] {"Last-Event-ID", pick(List.of("abc", "-1", "9223372036854775808", "1e400", ""),
                    random)};
            case 9 -> new String[] {"Host", "evil.example"};
            case 10 -> new String[] {"Expect", "100-continue"};
            case 11 -> new String[] {"Expect", "zzz"};
            case 12 -> new String[] {"Content-Encoding", "gzip"};
            case 13 -> new String[] {"X-HTTP-Method-Override", "DELETE"};
            case 14 -> new String[] {"X-Fuzz", "a\r\n folded"};
            case 15 -> new String[] {"Accept-Charset", "utf-32, ebcdic"};
            case 16 -> new String[] {"X-Fuzz", "é😀\u202e"};
            case 17 -> new String[] {"Cookie", "a=" + "b".repeat(20_000)};
            case 18 -> new String[] {"Range", "bytes=0-1,-1"};
            default -> null;
        };
        RawRequest request;
        String note;
        if (header == null) {
            request = base;
            for (int i = 0; i < 300; i++) {
                request = request.withHeader("X-Fuzz-" + i, "v");
            }
            note = "300 headers";
        } else {
            request = base.withHeader(header[0], header[1]);
            note = header[0] + ": " + FuzzCases.abbreviate(header[1]);
        }
        return new FuzzCase(route, InputKind.ODD_HEADERS, note, request);
    }

    private static FuzzCase framing(Route route, RawRequest base, RandomGenerator random) {
        byte[] body = base.body() == null ? "{\"fuzzUnknownField\":1}".getBytes() : base.body();
        String line = base.method() + " " + base.target() + " HTTP/1.1\r\n";
        String auth = "Authorization: " + base.headers().stream().filter(h -> h[0].equals("Authorization"))
                .findFirst().map(h -> h[1]).orElse("") + "\r\nContent-Type: application/json\r\n";
        String host = "Host: localhost\r\nConnection: close\r\n";
        int choice = random.nextInt(16);
        String note;
        String head;
        byte[] sent = body;
        switch (choice) {
            case 0 -> {
                head = line + host + auth + "Content-Length: " + body.length + "\r\nTransfer-Encoding: chunked\r\n\r\n";
                sent = chunk(body);
                note = "Content-Length and Transfer-Encoding";
            }
            case 1 -> {
                head = line + host + auth + "Transfer-Encoding: chunked\r\n\r\n";
                sent = ("zz\r\n" + new String(body) + "\r\n0\r\n\r\n").getBytes();
                note = "chunk size zz";
            }
            case 2 -> {
                head = line + host + auth + "Transfer-Encoding: chunked\r\n\r\n";
                sent = ("fffffffffffffffffff\r\n" + new String(body) + "\r\n0\r\n\r\n").getBytes();
                note = "chunk size overflows";
            }
            case 3 -> {
                String coding = pick(List.of("chunked, gzip", "identity", "xchunked", "chunked\u0000"), random);
                head = line + host + auth + "Transfer-Encoding: " + coding + "\r\n\r\n";
                sent = chunk(body);
                note = "Transfer-Encoding: " + FuzzCases.abbreviate(coding);
            }
            case 4 -> {
                String length = pick(List.of("-5", "abc", " 12 ", "1e3", "99999999999999999999", ""), random);
                head = line + host + auth + "Content-Length: " + length + "\r\n\r\n";
                note = "Content-Length: " + length;
            }
            case 5 -> {
                head = line + host + auth + "Content-Length: " + body.length + "\r\nContent-Length: "
                        + (body.length + 1) + "\r\n\r\n";
                note = "two different Content-Lengths";
            }
            case 6 -> {
                head = line + host + auth + "Content-Length: " + (body.length + 100) + "\r\n\r\n";
                note = "Content-Length beyond the body, then EOF";
            }
            case 7 -> {
                head = line + host + auth + "Content-Length: " + Math.max(0, body.length - 3) + "\r\n\r\n";
                note = "Content-Length short of the body";
            }
            case 8 -> {
                head = base.method() + " " + base.target() + " HTTP/1.0\r\n" + auth + "Content-Length: " + body.length
                        + "\r\n\r\n";
                note = "HTTP/1.0 without Host";
            }
            case 9 -> {
                head = line + "Connection: close\r\n" + auth + "Content-Length: " + body.length + "\r\n\r\n";
                note = "HTTP/1.1 without Host";
            }
            case 10 -> {
                String bad = pick(List.of(base.method() + "\r\n", base.method() + " " + base.target() + " HTTP/9.9\r\n",
                        "FOO " + base.target() + " HTTP/1.1\r\n", base.method().toLowerCase() + " " + base.target()
                                + " HTTP/1.1\r\n", base.method() + " " + base.target() + "\u0000 HTTP/1.1\r\n",
                        base.method() + "  " + base.target() + "  HTTP/1.1\r\n", base.method() + " "
                                + base.target().replace("/v1/", "/v1/é/") + " HTTP/1.1\r\n"), random);
                head = bad + host + auth + "Content-Length: " + body.length + "\r\n\r\n";
                note = "request line " + FuzzCases.abbreviate(bad.strip());
            }
            case 11 -> {
                head = base.method() + " http://evil.example" + base.target() + " HTTP/1.1\r\n" + host + auth
                        + "Content-Length: " + body.length + "\r\n\r\n";
                note = "absolute-form target";
            }
            case 12 -> {
                head = base.method() + " " + base.target() + "?" + "q".repeat(20_000) + " HTTP/1.1\r\n" + host + auth
                        + "Content-Length: " + body.length + "\r\n\r\n";
                note = "request target of 20,000 characters";
            }
            case 13 -> {
                head = line + host + auth + "Transfer-Encoding: chunked\r\n\r\n";
                sent = (Integer.toHexString(body.length) + ";ext=1;x\r\n" + new String(body)
                        + "\r\n0\r\nX-Trailer: 1\r\n\r\n").getBytes();
                note = "chunk extensions and trailers";
            }
            case 14 -> {
                head = (line + host + auth + "Content-Length: " + body.length + "\r\n\r\n").replace("\r\n", "\n");
                note = "bare LF line endings";
            }
            default -> {
                head = line + host + auth + "X-Fuzz: a\r\nContinuation without colon\r\nContent-Length: " + body.length
                        + "\r\n\r\n";
                note = "header line without a colon";
            }
        }
        RawRequest request = base.withRawHead(head).withBody(sent).withFraming(RawRequest.Framing.NONE).halfClosed();
        return new FuzzCase(route, InputKind.FRAMING, note, request);
    }

    private static byte[] chunk(byte[] body) {
        return (Integer.toHexString(body.length) + "\r\n" + new String(body) + "\r\n0\r\n\r\n").getBytes();
    }

    private static FuzzCase method(FuzzCases cases, Route route, RawRequest base, RandomGenerator random) {
        List<String> others = new ArrayList<>(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "FOO", "CONNECT"));
        others.removeAll(cases.declaredMethods(route.path()));
        String method = pick(others, random);
        RawRequest request = base.withMethod(method);
        if (request.body() == null && !method.equals("GET") && !method.equals("TRACE")) {
            request = request.withBody("{\"fuzzUnknownField\":1}".getBytes()).withHeader("Content-Type",
                    "application/json");
        }
        return new FuzzCase(route, InputKind.WRONG_METHOD, method + " " + route.path(), request);
    }
}
