package dev.berth.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** Structured output: the answer must be JSON matching {@code schema}. */
public record ResponseFormat(String name, ObjectNode schema, boolean strict) {
    public ResponseFormat {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
    }
}
