package dev.berth.deploy.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A deliberately naive HTTP/1.1 client over a plain socket: it sends whatever it is given (bad
 * framing, bad header bytes, bodies the JDK client refuses to send) and reads one answer. Each
 * request has a connection of its own ({@code Connection: close} unless the head is raw), so a
 * broken request cannot poison the next one. A streaming answer ({@code text/event-stream}) is read
 * up to its head only.
 */
public final class RawHttp {
    private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

    private final String host;
    private final int port;
    private final Duration timeout;

    public RawHttp(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    public RawAnswer send(RawRequest request, RandomGenerator random) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head(request));
                out.write(framedBody(request, random));
                out.flush();
                if (request.halfClose()) {
                    socket.shutdownOutput();
                }
            } catch (IOException refusedMidway) {
                // The server may answer and close before it has read everything (a 413, say): read what it said.
            }
            return read(socket.getInputStream(), request.method());
        } catch (SocketTimeoutException e) {
            return RawAnswer.none(true);
        } catch (IOException e) {
            return RawAnswer.none(false);
        }
    }

    private byte[] head(RawRequest request) {
        if (request.head() != null) {
            return request.head();
        }
        StringBuilder head = new StringBuilder();
        head.append(request.method()).append(' ').append(request.target()).append(' ').append(request.version())
                .append("\r\n");
        if (request.headers().stream().noneMatch(h -> h[0].equalsIgnoreCase("Host"))) {
            head.append("Host: ").append(host).append(':').append(port).append("\r\n");
        }
        head.append("Connection: close\r\n");
        for (String[] header : request.headers()) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        if (request.body() != null) {
            switch (request.framing()) {
                case LENGTH -> head.append("Content-Length: ").append(request.body().length).append("\r\n");
                case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
                case NONE -> {
                }
            }
        }
        head.append("\r\n");
        // Header bytes as given: characters above 0xFF go out as UTF-8, the rest byte for byte.
        return encodeHead(head.toString());
    }

    private static byte[] encodeHead(String head) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + 16);
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c <= 0xFF) {
                bytes.write(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < head.length() ? i + 2 : i + 1;
                bytes.writeBytes(head.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] framedBody(RawRequest request, RandomGenerator random) {
        byte[] body = request.body();
        if (body == null) {
            return new byte[0];
        }
        if (request.framing() != RawRequest.Framing.CHUNKED) {
            return body;
        }
        ByteArrayOutputStream chunked = new ByteArrayOutputStream(body.length + 64);
        int at = 0;
        while (at < body.length) {
            int size = Math.min(body.length - at, 1 + random.nextInt(Math.max(1, Math.min(body.length, 64 * 1024))));
            chunked.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.write(body, at, size);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            at += size;
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return chunked.toByteArray();
    }

    private static RawAnswer read(InputStream in, String method) throws IOException {
        RawAnswer answer = readOne(in, method);
        // Interim answers (100 Continue after "Expect: 100-continue") are followed by the real one.
        while (answer.status() >= 100 && answer.status() < 200) {
            answer = readOne(in, method);
        }
        return answer;
    }

    private static RawAnswer readOne(InputStream in, String method) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return RawAnswer.none(false);
            }
            headBytes.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        String type = headers.getOrDefault("content-type", "");
        if (status < 200 || method.equals("HEAD") || status == 204 || status == 304 || type.startsWith("text/event-stream")) {
            return new RawAnswer(status, headers, new byte[0], false);
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes((int) Math.min(MAX_ANSWER_BYTES, Long.parseLong(headers.get("content-length"))));
        } else if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
            body = dechunk(in);
        } else {
            body = in.readNBytes(MAX_ANSWER_BYTES);
        }
        return new RawAnswer(status, headers, body, false);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < MAX_ANSWER_BYTES) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                break;
            }
            body.writeBytes(in.readNBytes(size));
            line(in);
        }
        return body.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
