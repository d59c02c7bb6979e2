package dev.berth.tool.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The leaf types a tool parameter may have, with their JSON schema type and format.
 *
 * <p>{@code expected} is the phrase used in error messages for the model, so it says what
 * to send rather than what the Java type is. Formats are limited to those OpenAI's strict
 * mode accepts ({@code date-time, date, duration, uuid}). Local date-times and local times
 * have no matching format (RFC 3339's {@code time} carries an offset, which Java's
 * {@code LocalTime} refuses), so the expected shape is only in the message.
 */
public enum Scalar {
    STRING("string", null, "a string"),
    CHAR("string", null, "a string of exactly one character"),
    BOOLEAN("boolean", null, "a boolean (true or false)"),
    BYTE("integer", null, "an integer from " + Byte.MIN_VALUE + " to " + Byte.MAX_VALUE),
    SHORT("integer", null, "an integer from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE),
    INT("integer", null, "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE),
    LONG("integer", null, "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE),
    BIG_INTEGER("integer", null, "an integer"),
    FLOAT("number", null, "a number"),
    DOUBLE("number", null, "a number"),
    BIG_DECIMAL("number", null, "a number"),
    UUID("string", "uuid", "a UUID such as \"123e4567-e89b-12d3-a456-426614174000\""),
    URI("string", null, "a URI such as \"https://example.com/path\""),
    INSTANT("string", "date-time", "an ISO-8601 date-time with offset such as \"2026-01-31T09:30:00Z\""),
    OFFSET_DATE_TIME("string", "date-time", "an ISO-8601 date-time with offset such as \"2026-01-31T09:30:00+01:00\""),
    ZONED_DATE_TIME("string", "date-time", "an ISO-8601 date-time with offset such as \"2026-01-31T09:30:00+01:00\""),
    LOCAL_DATE_TIME("string", null, "an ISO-8601 local date-time without offset such as \"2026-01-31T09:30:00\""),
    LOCAL_DATE("string", "date", "an ISO-8601 date such as \"2026-01-31\""),
    LOCAL_TIME("string", null, "an ISO-8601 local time without offset such as \"09:30:00\""),
    DURATION("string", "duration", "an ISO-8601 duration such as \"PT15M\"");

    private static final Map<Class<?>, Scalar> BY_CLASS = Map.ofEntries(
            Map.entry(String.class, STRING),
            Map.entry(char.class, CHAR), Map.entry(Character.class, CHAR),
            Map.entry(boolean.class, BOOLEAN), Map.entry(Boolean.class, BOOLEAN),
            Map.entry(byte.class, BYTE), Map.entry(Byte.class, BYTE),
            Map.entry(short.class, SHORT), Map.entry(Short.class, SHORT),
            Map.entry(int.class, INT), Map.entry(Integer.class, INT),
            Map.entry(long.class, LONG), Map.entry(Long.class, LONG),
            Map.entry(BigInteger.class, BIG_INTEGER),
            Map.entry(float.class, FLOAT), Map.entry(Float.class, FLOAT),
            Map.entry(double.class, DOUBLE), Map.entry(Double.class, DOUBLE),
            Map.entry(BigDecimal.class, BIG_DECIMAL),
            Map.entry(UUID.class, UUID),
            Map.entry(URI.class, URI),
            Map.entry(Instant.class, INSTANT),
            Map.entry(OffsetDateTime.class, OFFSET_DATE_TIME),
            Map.entry(ZonedDateTime.class, ZONED_DATE_TIME),
            Map.entry(LocalDateTime.class, LOCAL_DATE_TIME),
            Map.entry(LocalDate.class, LOCAL_DATE),
            Map.entry(LocalTime.class, LOCAL_TIME),
            Map.entry(Duration.class, DURATION));

    private final String jsonType;
    private final String format;
    private final String expected;

    Scalar(String jsonType, String format, String expected) {
        this.jsonType = jsonType;
        this.format = format;
        this.expected = expected;
    }

    /** The scalar for a Java class, if it is one. */
    public static Optional<Scalar> of(Class<?> type) {
        return Optional.ofNullable(BY_CLASS.get(type));
    }

    /** The JSON schema {@code type}: string, boolean, integer or number. */
    public String jsonType() {
        return jsonType;
    }

    /** The JSON schema {@code format}, or null. */
    public String format() {
        return format;
    }

    /** What the model should send, for error messages. */
    public String expected() {
        return expected;
    }
}
