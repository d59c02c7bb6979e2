package dev.berth.runtime.input;

import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.internal.DocumentJson;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The documented bounds of what a client may send, in one place: the HTTP layer, the services
 * and the README's "Limits" table all use these numbers. Sizes of text are in UTF-16 characters
 * (Java's {@code String.length()}), sizes of JSON in characters of its compact serialization.
 *
 * <p>Durations stored before these bounds existed may be larger; readers clamp them with
 * {@link #clamp(Duration)} instead of failing (ADR 0013).
 */
public final class InputLimits {
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /** The shortest duration a client may give ({@code ttlSeconds}, {@code runTimeoutSeconds}, ...). */
    public static final long MIN_DURATION_SECONDS = 1;
    /** The longest duration a client may give: 10 years of 365 days. */
    public static final long MAX_DURATION_SECONDS = 10L * 365 * 24 * 3600;
    public static final Duration MAX_DURATION = Duration.ofSeconds(MAX_DURATION_SECONDS);

    /** The most items of one page ({@code limit}) of sessions, memories and agents. */
    public static final int MAX_PAGE = 100;
    /** The most events of one page of {@code GET /v1/sessions/{id}/events}. */
    public static final int MAX_EVENT_PAGE = 500;
    /** The longest {@code ?wait} of a request, in seconds. */
    public static final int MAX_WAIT_SECONDS = 60;

    /** An agent's {@code limits.maxCompletionTokens}. */
    public static final int MAX_COMPLETION_TOKENS = 1_000_000;

    /** Agent instructions and the text of one message. */
    public static final int MAX_TEXT_CHARS = 100_000;
    /** A session's {@code metadata}, serialized as JSON. */
    public static final int MAX_METADATA_CHARS = 16_384;
    /** The JSON schema ({@code parameters}) of one client-side tool, serialized. */
    public static final int MAX_TOOL_SCHEMA_CHARS = 32_768;
    /** The description of one client-side tool. */
    public static final int MAX_TOOL_DESCRIPTION_CHARS = 4_096;
    /** Server-side tools one agent names. */
    public static final int MAX_TOOLS = 128;
    /** Client-side tools of one agent. */
    public static final int MAX_CLIENT_TOOLS = 128;
    /** Nesting of objects and arrays in any request body (metadata, tool schemas). */
    public static final int MAX_JSON_DEPTH = 32;
    /** The content of one long-term memory record. */
    public static final int MAX_MEMORY_CHARS = 8_000;
    /** The content of one pinned memory block. */
    public static final int MAX_BLOCK_CHARS = 4_000;
    /** Names of agents, tools and memory block labels (their character sets are checked where they are used). */
    public static final int MAX_NAME_CHARS = 64;
    /** Actor ids, memory keys and the id part of a memory namespace. */
    public static final int MAX_ID_CHARS = 256;
    /** Names of API keys and tenants. */
    public static final int MAX_LABEL_CHARS = 200;
    /** The output of one client-side tool or approval reason sent with {@code POST /v1/runs/{id}/actions}. */
    public static final int MAX_REASON_CHARS = 2_000;
    /** Answers in one {@code POST /v1/runs/{id}/actions}. */
    public static final int MAX_ACTIONS = 128;

    private InputLimits() {
    }

    /**
     * A client's duration in whole seconds, or null when it gave none.
     *
     * @throws ValidationException naming {@code field} when it is outside 1 s .. 10 years
     */
    public static Duration seconds(String field, Long seconds) {
        if (seconds == null) {
            return null;
        }
        if (seconds < MIN_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS) {
            throw ValidationException.field(field, "must be between " + MIN_DURATION_SECONDS + " and "
                    + MAX_DURATION_SECONDS + " seconds (10 years)");
        }
        return Duration.ofSeconds(seconds);
    }

    /** A stored duration brought into 1 s .. 10 years; null stays null. */
    public static Duration clamp(Duration stored) {
        if (stored == null) {
            return null;
        }
        if (stored.getSeconds() < MIN_DURATION_SECONDS) {
            return Duration.ofSeconds(MIN_DURATION_SECONDS);
        }
        return stored.compareTo(MAX_DURATION) > 0 ? MAX_DURATION : stored;
    }

    /** A stored duration in seconds brought into 1 s .. 10 years. */
    public static Duration clampSeconds(long stored) {
        return Duration.ofSeconds(Math.max(MIN_DURATION_SECONDS, Math.min(MAX_DURATION_SECONDS, stored)));
    }

    /**
     * Checks an identifier a client chooses (an actor id, a memory key): 1 to {@link #MAX_ID_CHARS}
     * characters, not blank, no control characters (it becomes part of a namespace and of log lines).
     */
    public static void identifier(String field, String value) {
        text(field, value, MAX_ID_CHARS);
    }

    /** Checks the name of an API key or a tenant: 1 to {@link #MAX_LABEL_CHARS} characters, no control characters. */
    public static void label(String field, String value) {
        text(field, value, MAX_LABEL_CHARS);
    }

    private static void text(String field, String value, int max) {
        if (value == null || value.isBlank() || value.length() > max || CONTROL.matcher(value).find()) {
            throw ValidationException.field(field, "must be 1-" + max + " characters, not blank, without control characters");
        }
    }

    /** Checks the size of a JSON document a client stores as is (a session's metadata), serialized. */
    public static void metadata(String field, Map<String, Object> metadata) {
        if (metadata != null && DocumentJson.write(metadata).length() > MAX_METADATA_CHARS) {
            throw ValidationException.field(field, "must be at most " + MAX_METADATA_CHARS + " characters as JSON");
        }
    }

    /** Checks a count or page size given by a client. */
    public static int count(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw ValidationException.field(field, "must be between " + min + " and " + max);
        }
        return value;
    }
}
