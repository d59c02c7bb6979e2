package dev.berth.deploy.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A client-side tool of an agent: the client executes it and sends the output. */
public record ClientToolView(String name, String description, ObjectNode parameters) {
}
