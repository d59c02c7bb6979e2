package dev.berth.deploy.fuzz;

import static dev.berth.deploy.fuzz.FuzzCases.pick;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.deploy.fuzz.FuzzCases.FuzzCase;
import dev.berth.deploy.fuzz.OpenApiRoutes.Route;
import dev.berth.deploy.fuzz.SchemaBodies.Leaf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Request bodies spoiled in one place: not JSON, JSON with something after it, a property of the
 * wrong type, unknown, with NUL, raw control characters, lone surrogates or bytes that are not
 * UTF-8, numbers out of any range, nesting 10,000 deep, over the body limit, under the wrong
 * content type, or chunked. The other string properties may carry unusual but valid Unicode.
 * The path names the tenant's real objects: the body must be refused before they are touched.
 */
final class BodyMutations {
    private BodyMutations() {
    }

    static FuzzCase make(FuzzCases cases, Route route, InputKind kind, RandomGenerator random) {
        JsonNode body = cases.full(route);
        List<Leaf> leaves = cases.leaves(body);
        JsonSplicer splicer = new JsonSplicer(body);
        String note;
        RawRequest.Framing framing = RawRequest.Framing.LENGTH;
        String contentType = "application/json";
        boolean refusedPath = false;
        switch (kind) {
            case MALFORMED_JSON -> {
                String whole = new String(new JsonSplicer(body).bytes(), StandardCharsets.UTF_8);
                List<String> broken = List.of(whole.substring(0, random.nextInt(Math.max(1, whole.length() - 1))),
                        "{", "}", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "[1,]", "{/*c*/}", "NaN", duplicateKey(whole),
                        whole.replace(":", "="), "{\"a\" 1}", "\"unterminated", "{\"a\":tru}", "", "null", "   ");
                String chosen = pick(broken, random);
                splicer.replace("", chosen);
                // An empty or null body means "no body", which some routes allow: then the path must be unknown.
                refusedPath = chosen.isBlank() || chosen.equals("null");
                note = FuzzCases.abbreviate(chosen);
            }
            case TRAILING_CONTENT -> {
                String whole = new String(new JsonSplicer(body).bytes(), StandardCharsets.UTF_8);
                String trailer = pick(List.of("xyz", "{}", " 1", "]", "\u0000", ",{\"a\":1}", " null", "\"x\""), random);
                splicer.replace("", whole + trailer);
                note = "body + " + FuzzCases.abbreviate(trailer);
            }
            case WRONG_TYPE -> {
                Leaf leaf = pick(leaves.isEmpty() ? List.of(new Leaf("", body)) : leaves, random);
                String value = pick(OddValues.wrongTypes(kindOf(leaf.node())), random);
                splicer.replace(leaf.pointer(), value);
                note = leaf.pointer() + "=" + value;
            }
            case UNKNOWN_FIELD -> {
                List<Leaf> objects = leaves.stream().filter(l -> l.node().isObject()).toList();
                String where = objects.isEmpty() || random.nextBoolean() ? "" : pick(objects, random).pointer();
                JsonNode copy = body.deepCopy();
                if (copy.at(where) instanceof ObjectNode object) {
                    object.put(random.nextBoolean() ? cases.unknownField() : "te\u0000xt", 1);
                }
                splicer = new JsonSplicer(copy);
                note = (where.isEmpty() ? "/" : where) + " + unknown field";
            }
            case NUL_CHAR -> note = string(leaves, random, splicer, List.of("\"\\u0000\"", "\"a\\u0000b\"",
                    "\"abc\\u0000\"", "\"\\u0000\\u0000\\u0000\""));
            case RAW_CONTROL_CHAR -> {
                byte control = (byte) random.nextInt(0x20);
                note = raw(leaves, random, splicer, new byte[] {'"', 'a', control, 'b', '"'})
                        + String.format("\\x%02x (raw)", control);
            }
            case LONE_SURROGATE -> note = string(leaves, random, splicer, OddValues.LONE_SURROGATES);
            case INVALID_UTF8 -> {
                byte[] bad = pick(OddValues.INVALID_UTF8, random);
                ByteArrayOutputStream quoted = new ByteArrayOutputStream();
                quoted.write('"');
                quoted.writeBytes(bad);
                quoted.write('"');
                note = raw(leaves, random, splicer, quoted.toByteArray()) + "invalid UTF-8 " + bad.length + " bytes";
            }
            case NUMBER_EXTREME -> {
                List<Leaf> numbers = leaves.stream().filter(l -> l.node().isNumber()).toList();
                if (!numbers.isEmpty()) {
                    Leaf leaf = pick(numbers, random);
                    // Only values outside what the property's schema declares (type, minimum, maximum) are odd.
                    String value = pick(OddValues.numbersOutside(cases.schemaAt(route, leaf.pointer())), random);
                    splicer.replace(leaf.pointer(), value);
                    note = leaf.pointer() + "=" + value;
                } else {
                    // No number property (a number would be taken as a string): the parser still has to read it.
                    String value = pick(OddValues.NUMBERS, random);
                    JsonNode copy = unknownFieldAdded(cases, body);
                    splicer = new JsonSplicer(copy).replace("/" + cases.unknownField(), value);
                    note = "unknown field=" + value;
                }
            }
            case DEEP_NESTING -> {
                int depth = 10_000;
                String nested = pick(List.of("[".repeat(depth), "[".repeat(depth) + "]".repeat(depth),
                        "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)), random);
                String where = leaves.isEmpty() || random.nextInt(3) == 0 ? "" : pick(leaves, random).pointer();
                splicer.replace(where, nested);
                note = (where.isEmpty() ? "body" : where) + " nested " + depth + " deep";
            }
            case OVERSIZED -> {
                int size = (int) cases.maxBodyBytes() + 1024;
                List<Leaf> strings = leaves.stream().filter(l -> l.node().isTextual()).toList();
                boolean array = strings.isEmpty() || random.nextBoolean();
                String where = array ? "" : pick(strings, random).pointer();
                splicer.replace(where, array ? "[" + "1,".repeat(size / 2) + "1]" : "\"" + "x".repeat(size) + "\"");
                framing = random.nextBoolean() ? RawRequest.Framing.CHUNKED : RawRequest.Framing.LENGTH;
                note = (array ? "body: array" : where + ": string") + " of " + size + " bytes, "
                        + framing.name().toLowerCase();
            }
            case CONTENT_TYPE -> {
                splicer = new JsonSplicer(unknownFieldAdded(cases, body));
                contentType = pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "", "application/json; charset=utf-16", "application/jsonx", "multipart/form-data; boundary=x",
                        "*/*", "application/json; charset=nope", "application/octet-stream", "json", "\u0001",
                        "application/json, text/plain", "APPLICATION/JSON;;;"), random);
                note = "Content-Type: " + FuzzCases.abbreviate(contentType);
            }
            case CHUNKED -> {
                splicer = new JsonSplicer(unknownFieldAdded(cases, body));
                framing = RawRequest.Framing.CHUNKED;
                note = "chunked, body with an unknown field";
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
        if (kind != InputKind.OVERSIZED && random.nextBoolean()) {
            spice(leaves, random, splicer);
        }
        byte[] bytes = splicer.bytes();
        RawRequest request = refusedPath ? cases.refusedBase(route, random).withBody(bytes)
                : cases.realBase(route, bytes, random);
        request = request.withFraming(framing).withoutHeader("Content-Type");
        if (!contentType.isEmpty() || kind != InputKind.CONTENT_TYPE) {
            request = request.withHeader("Content-Type", contentType);
        }
        return new FuzzCase(route, kind, note, request);
    }

    /** The body with its first property written twice: which one counts is the parser's guess. */
    private static String duplicateKey(String whole) {
        int colon = whole.indexOf(':');
        int comma = whole.indexOf(',');
        if (!whole.startsWith("{\"") || colon < 0) {
            return "{\"a\":1,\"a\":2}";
        }
        String first = whole.substring(1, comma > colon ? comma : whole.length() - 1);
        return "{" + first + "," + whole.substring(1);
    }

    private static JsonNode unknownFieldAdded(FuzzCases cases, JsonNode body) {
        JsonNode copy = body.deepCopy();
        if (copy instanceof ObjectNode object) {
            object.put(cases.unknownField(), 1);
        }
        return copy;
    }

    private static String string(List<Leaf> leaves, RandomGenerator random, JsonSplicer splicer, List<String> values) {
        Leaf leaf = target(leaves, random, JsonNode::isTextual);
        String value = pick(values, random);
        splicer.replace(leaf.pointer(), value);
        return leaf.pointer() + "=" + value;
    }

    private static String raw(List<Leaf> leaves, RandomGenerator random, JsonSplicer splicer, byte[] value) {
        Leaf leaf = target(leaves, random, JsonNode::isTextual);
        splicer.replace(leaf.pointer(), value);
        return leaf.pointer() + ": ";
    }

    /** A leaf of the wanted kind, or any leaf (the root when there are none): then the value is also of the wrong type. */
    private static Leaf target(List<Leaf> leaves, RandomGenerator random, Predicate<JsonNode> wanted) {
        List<Leaf> matching = leaves.stream().filter(l -> wanted.test(l.node())).toList();
        if (!matching.isEmpty()) {
            return pick(matching, random);
        }
        return leaves.isEmpty() ? new Leaf("", null) : pick(leaves, random);
    }

    /** Unusual but valid Unicode in up to two other string properties. */
    private static void spice(List<Leaf> leaves, RandomGenerator random, JsonSplicer splicer) {
        List<Leaf> strings = leaves.stream().filter(l -> l.node().isTextual()).toList();
        for (int i = 0; i < 2 && !strings.isEmpty(); i++) {
            Leaf leaf = pick(strings, random);
            splicer.replaceIfAbsent(leaf.pointer(), pick(OddValues.UNUSUAL_UNICODE, random));
        }
    }

    private static String kindOf(JsonNode node) {
        if (node == null) {
            return "object";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        return node.isArray() ? "array" : "object";
    }
}
