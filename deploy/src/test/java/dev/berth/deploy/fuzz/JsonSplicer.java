package dev.berth.deploy.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a JSON body with some of its nodes replaced by raw bytes, which need not be JSON at all:
 * {@code 1e400}, an unclosed {@code [[[[}, a string with a lone surrogate escape or a byte that is
 * not UTF-8. Each replaced node is first set to a unique marker string, then the marker is swapped
 * for the bytes after serialisation.
 */
final class JsonSplicer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode body;
    private final Map<String, byte[]> replacements = new LinkedHashMap<>();

    JsonSplicer(JsonNode body) {
        this.body = body.deepCopy();
    }

    /** Replaces the node at {@code pointer} ("" is the whole body) by {@code fragment}. */
    JsonSplicer replace(String pointer, String fragment) {
        return replace(pointer, fragment.getBytes(StandardCharsets.UTF_8));
    }

    JsonSplicer replace(String pointer, byte[] fragment) {
        replacements.put(pointer, fragment);
        return this;
    }

    /** Like {@link #replace(String, String)}, unless that node (or the whole body) is already replaced. */
    JsonSplicer replaceIfAbsent(String pointer, String fragment) {
        if (!replacements.containsKey("") && replacements.keySet().stream().noneMatch(
                p -> p.equals(pointer) || pointer.startsWith(p + "/") || p.startsWith(pointer + "/"))) {
            replace(pointer, fragment);
        }
        return this;
    }

    byte[] bytes() {
        if (replacements.containsKey("")) {
            return replacements.get("");
        }
        JsonNode copy = body.deepCopy();
        Map<String, byte[]> byMarker = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, byte[]> replacement : replacements.entrySet()) {
            String marker = "__fuzz_marker_" + (n++) + "__";
            if (set(copy, replacement.getKey(), marker)) {
                byMarker.put("\"" + marker + "\"", replacement.getValue());
            }
        }
        byte[] written;
        try {
            written = JSON.writeValueAsBytes(copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, byte[]> swap : byMarker.entrySet()) {
            written = swap(written, swap.getKey().getBytes(StandardCharsets.UTF_8), swap.getValue());
        }
        return written;
    }

    private static boolean set(JsonNode root, String pointer, String marker) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String name = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode object) {
            object.set(name, TextNode.valueOf(marker));
            return true;
        }
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(name), TextNode.valueOf(marker));
            return true;
        }
        return false;
    }

    private static byte[] swap(byte[] in, byte[] marker, byte[] fragment) {
        for (int i = 0; i + marker.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + marker.length, marker, 0, marker.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + fragment.length);
                out.write(in, 0, i);
                out.writeBytes(fragment);
                out.write(in, i + marker.length, in.length - i - marker.length);
                return out.toByteArray();
            }
        }
        return in;
    }
}
