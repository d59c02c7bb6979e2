package dev.berth.runtime.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** An event about to be appended; the store assigns its sequence. */
public record NewEvent(String type, ObjectNode data) {
    public NewEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }
}
