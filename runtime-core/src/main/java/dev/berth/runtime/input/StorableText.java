package dev.berth.runtime.input;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.error.ValidationException;
import java.util.Iterator;
import java.util.Map;

/**
 * Text PostgreSQL can store. {@code text} and {@code jsonb} refuse the NUL character (U+0000),
 * and a UTF-16 surrogate without its partner has no UTF-8 form at all (the driver would store a
 * '?' in {@code text}, {@code jsonb} refuses its escape). Both are refused on the way in, with
 * the field named, instead of failing (500) or being mangled in the database. Every request body
 * is walked whole (keys too) by the HTTP layer, which also checks here the depth of its nesting and
 * numbers too large for JSON (a float literal beyond a double is read as infinity).
 */
public final class StorableText {
    private StorableText() {
    }

    /** What is wrong with the text, or null when PostgreSQL can store it. */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain the NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain an unpaired UTF-16 surrogate (U+D800 to U+DFFF)";
            }
        }
        return null;
    }

    /** Refuses text PostgreSQL cannot store, naming {@code field}. */
    public static void check(String field, String text) {
        String problem = problem(text);
        if (problem != null) {
            throw ValidationException.field(field, problem);
        }
    }

    /**
     * Refuses a JSON document with text PostgreSQL cannot store in any key or string value, or
     * nested deeper than {@link InputLimits#MAX_JSON_DEPTH}; the error names the path of the
     * first offence ({@code metadata.tags[2]}) under {@code root} (empty for a whole body).
     */
    public static void checkJson(String root, JsonNode node) {
        walk(root, node, 0);
    }

    private static void walk(String path, JsonNode node, int depth) {
        if (node.isContainerNode() && depth >= InputLimits.MAX_JSON_DEPTH) {
            throw ValidationException.field(orBody(path), "is nested deeper than " + InputLimits.MAX_JSON_DEPTH
                    + " levels of objects and arrays");
        }
        if (node.isTextual()) {
            check(orBody(path), node.textValue());
        } else if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            // 1e400 parses as infinity, which JSON (and jsonb) cannot hold: it would come back as a string.
            throw ValidationException.field(orBody(path), "is a number too large to store");
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(path + "[" + i + "]", node.get(i), depth + 1);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = path.isEmpty() ? printable(field.getKey()) : path + "." + printable(field.getKey());
                String keyProblem = problem(field.getKey());
                if (keyProblem != null) {
                    throw ValidationException.field(child, "a key " + keyProblem);
                }
                walk(child, field.getValue(), depth + 1);
            }
        }
    }

    private static String orBody(String path) {
        return path.isEmpty() ? "body" : path;
    }

    /** A key as it can be shown in an error: the characters it may not hold written as escapes. */
    private static String printable(String key) {
        if (problem(key) == null) {
            return key;
        }
        StringBuilder out = new StringBuilder();
        for (char c : key.toCharArray()) {
            out.append(c == '\u0000' || Character.isSurrogate(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
