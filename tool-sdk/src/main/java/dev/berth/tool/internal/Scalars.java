package dev.berth.tool.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.tool.internal.ValueType.ScalarType;
import java.io.IOException;
import java.math.BigInteger;

/** Checks one scalar value; the model gets a precise message instead of a Jackson error. */
final class Scalars {

    private static final BigInteger[] BYTE = range(Byte.MIN_VALUE, Byte.MAX_VALUE);
    private static final BigInteger[] SHORT = range(Short.MIN_VALUE, Short.MAX_VALUE);
    private static final BigInteger[] INT = range(Integer.MIN_VALUE, Integer.MAX_VALUE);
    private static final BigInteger[] LONG = range(Long.MIN_VALUE, Long.MAX_VALUE);

    private Scalars() {
    }

    /** The value ready for Jackson, or null when it does not fit the type. */
    static JsonNode read(ScalarType type, JsonNode value) {
        return switch (type.scalar()) {
            case STRING -> value.isTextual() ? value : null;
            case CHAR -> value.isTextual() && value.asText().length() == 1 ? value : null;
            case BOOLEAN -> value.isBoolean() ? value : null;
            case BYTE -> integer(value, BYTE);
            case SHORT -> integer(value, SHORT);
            case INT -> integer(value, INT);
            case LONG -> integer(value, LONG);
            case BIG_INTEGER -> integer(value, null);
            case FLOAT, DOUBLE, BIG_DECIMAL -> value.isNumber() ? value : null;
            default -> parsesAs(type.javaType(), value) ? value : null;
        };
    }

    /**
     * JSON schema counts {@code 3.0} as an integer, and some models write numbers that way;
     * it is accepted and passed on as {@code 3}. A fraction or an out-of-range value is not.
     */
    private static JsonNode integer(JsonNode value, BigInteger[] range) {
        if (!value.isNumber()) {
            return null;
        }
        BigInteger integer;
        try {
            integer = value.isIntegralNumber() ? value.bigIntegerValue() : value.decimalValue().toBigIntegerExact();
        } catch (ArithmeticException fraction) {
            return null;
        }
        if (range != null && (integer.compareTo(range[0]) < 0 || integer.compareTo(range[1]) > 0)) {
            return null;
        }
        return ToolJson.NODES.numberNode(integer);
    }

    /** Dates, UUIDs and URIs are parsed by the very Jackson deserializer that binds them later. */
    private static boolean parsesAs(Class<?> javaType, JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        try {
            return ToolJson.MAPPER.readerFor(javaType).readValue(value) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static BigInteger[] range(long min, long max) {
        return new BigInteger[] {BigInteger.valueOf(min), BigInteger.valueOf(max)};
    }
}
