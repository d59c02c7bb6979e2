package dev.berth.deploy.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.error.ValidationException;

/**
 * Fields of an OpenAI request body read as a JSON tree, each one typed or refused by name: the one
 * reading of a string and a boolean for every request of this surface.
 */
final class OpenAiFields {
    private OpenAiFields() {
    }

    /** The string in {@code field}, or null when it is absent or null; any other type is a 400 naming it. */
    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ValidationException.field(field, "must be a string");
        }
        return value.asText();
    }

    /** The boolean in {@code field}, or {@code absent} when it is absent or null; any other type is a 400. */
    static boolean flag(JsonNode body, String field, boolean absent) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw ValidationException.field(field, "must be true or false");
        }
        return value.asBoolean();
    }
}
