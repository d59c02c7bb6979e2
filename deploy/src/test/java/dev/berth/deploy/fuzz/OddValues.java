package dev.berth.deploy.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * Catalogues of hostile values. Path and query values are written as they go on the wire
 * (percent-encoded where they are); JSON fragments are written as they go in a body.
 */
final class OddValues {
    private OddValues() {
    }

    /** Path segment values; none names an existing object. */
    static final List<String> PATH = List.of("%00", "a%00b", "%01", "%0d%0a", "%20", "%09", "..", "%2e%2e", "%2F",
            "a%2Fb", "%5C", "%ZZ", "%", "%E2%80%AE", "%F0%9F%98%80", "%ED%A0%80", "%FF", "%C0%80", "a".repeat(10_000),
            "-1", "0", "9223372036854775808", "1e400", "1.5", "null", "%27%20or%20%271%27%3D%271",
            "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "%3Cscript%3E", "00000000-0000-0000-0000-000000000000",
            "6f1c1e9e-8d3e-4c7a-9d6b-1b2c3d4e5f6z", "%7Bid%7D", "~", "*", "a;b=c", "%C3%A9t%C3%A9",
            "%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A%D8%A9", "x".repeat(65));

    /** Integer query values that are not integers, or not sane ones. */
    static final List<String> INTEGER_QUERY = List.of("abc", "", "-1", "1e400", "9223372036854775808",
            "-9223372036854775809", "1.5", "0x10", "%EF%BC%91", "+1", "%201", "NaN", "Infinity", "1,2", "%00",
            "99999999999999999999999999");

    static final List<String> BOOLEAN_QUERY = List.of("maybe", "", "1", "yes", "TRUE", "%00", "true%00");

    static final List<String> STRING_QUERY = List.of("%00", "a%00b", "%01", "a".repeat(10_000), "%ZZ", "%F0%9F%98%80",
            "%ED%A0%80", "%FF", "%E2%80%AE", "actors%2F%00", "actors%2F", "actors%2F%0A", "sessions%2F..%2F..",
            "%27%3B--", "agents%2F" + "b".repeat(300));

    /** JSON values of the wrong type for a node of the given kind; none is coerced by Jackson's defaults. */
    static List<String> wrongTypes(String kind) {
        return switch (kind) {
            case "string" -> List.of("{}", "[]", "[1]", "{\"a\":1}");
            case "number" -> List.of("\"abc\"", "\"1x\"", "{}", "[]", "[1]");
            case "boolean" -> List.of("\"maybe\"", "{}", "[]");
            case "array" -> List.of("\"x\"", "1", "{}", "true");
            default -> List.of("\"x\"", "1", "[]", "true", "[[]]");
        };
    }

    /** Numbers out of range, negative, fractional, overflowing. */
    static final List<String> NUMBERS = List.of("1e400", "-1e400", "1E+400", "-1", "9223372036854775808",
            "-9223372036854775809", "9223372036854775807", "32000000000000000", "2147483648", "-2147483649", "1.5",
            "1e20", "-0.5", "123456789012345678901234567890", "0.000001");

    /**
     * The {@link #NUMBERS} a property of this schema must refuse: not finite, fractional for an
     * integer, or outside the declared {@code minimum} (or {@code exclusiveMinimum}) and
     * {@code maximum}. Where the schema declares no bound, the API's convention holds: no number is
     * negative, and none is 2^31 or more.
     */
    static List<String> numbersOutside(JsonNode schema) {
        boolean integer = !schema.path("type").asText("integer").equals("number");
        BigDecimal min = schema.path("minimum").isNumber() ? schema.get("minimum").decimalValue() : BigDecimal.ZERO;
        BigDecimal max = schema.path("maximum").isNumber() ? schema.get("maximum").decimalValue()
                : BigDecimal.valueOf(Integer.MAX_VALUE);
        JsonNode exclusive = schema.path("exclusiveMinimum");
        return NUMBERS.stream().filter(text -> {
            BigDecimal value = new BigDecimal(text);
            boolean fractional = value.stripTrailingZeros().scale() > 0;
            return !Double.isFinite(value.doubleValue()) || (integer && fractional) || value.compareTo(min) < 0
                    || (exclusive.isNumber() && value.compareTo(exclusive.decimalValue()) <= 0)
                    || value.compareTo(max) > 0;
        }).toList();
    }

    /** Strings with lone surrogates or other code points that are not Unicode scalar values. */
    static final List<String> LONE_SURROGATES = List.of("\"\\ud800\"", "\"x\\udfffy\"", "\"\\ud83d\"",
            "\"\\ude00\\ud83d\"", "\"a\\ud800\\ud800b\"");

    /** Raw bytes that are not UTF-8, placed inside a JSON string. */
    static final List<byte[]> INVALID_UTF8 = List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0x80},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82},
            new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});

    /** Unusual but valid text: right-to-left, 4-byte, combining, zero-width, escaped controls. */
    static final List<String> UNUSUAL_UNICODE = List.of("\"\\u202eevil\\u202c\"", "\"\\u0627\\u0644\\u0639\"",
            "\"😀🧑‍🤝‍🧑\"", "\"\\ud83d\\ude00\"", "\"e\\u0301\\u0301\\u0301\"", "\"\\ufeffbom\"", "\"\\uffff\\ufffe\"",
            "\"a\\u2028b\\u2029\"", "\"\\u0001\\u0007\\u001b[31m\\u007f\"", "\"\\u200b\\u200d\"", "\"𝔘𝔫𝔦𝔠𝔬𝔡𝔢\"",
            "\"%00%s%n\"", "\"\\\\x00\"");
}
