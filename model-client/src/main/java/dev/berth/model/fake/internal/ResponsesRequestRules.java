package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The checks the Responses API makes on a stateless ({@code store:false}) request's input items, so that
 * the fake refuses what OpenAI and Azure OpenAI refuse: known item types, message roles, every
 * {@code function_call} answered by a {@code function_call_output} with its {@code call_id}, no output
 * without its call, and, since nothing is stored, no {@code item_reference} and reasoning items carried
 * back with their {@code encrypted_content}.
 */
public final class ResponsesRequestRules {
    private static final Set<String> TYPES = Set.of("message", "function_call", "function_call_output", "reasoning",
            "item_reference");
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");

    private ResponsesRequestRules() {
    }

    /** The first rule the request breaks, or null when a real endpoint would accept it. */
    public static Violation check(JsonNode body) {
        JsonNode input = body.path("input");
        if (input.isTextual()) {
            return null;
        }
        boolean stored = body.path("store").asBoolean(true);
        Set<String> calls = new LinkedHashSet<>();
        Set<String> outputs = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String type = item.path("type").asText("message");
            String param = "input[" + i + "]";
            if (!TYPES.contains(type)) {
                return new Violation("Invalid value: '" + type + "'. Supported values are: 'message',"
                        + " 'function_call', 'function_call_output', 'reasoning' and 'item_reference'.",
                        param + ".type", "invalid_value");
            }
            Violation v = switch (type) {
                case "message" -> ROLES.contains(item.path("role").asText()) ? null : new Violation("Invalid value: '"
                        + item.path("role").asText() + "'. Supported values are: 'user', 'assistant', 'system',"
                        + " and 'developer'.", param + ".role", "invalid_value");
                case "function_call" -> calls.add(item.path("call_id").asText()) ? null
                        : new Violation("Duplicate item found with id " + item.path("call_id").asText() + ".",
                                "input", null);
                case "function_call_output" -> calls.contains(item.path("call_id").asText())
                        && outputs.add(item.path("call_id").asText()) ? null
                        : new Violation("No tool call found for function call output with call_id "
                                + item.path("call_id").asText() + ".", "input", null);
                case "reasoning" -> stored || item.path("encrypted_content").isTextual() ? null
                        : notPersisted(item.path("id").asText());
                default -> stored ? null : notPersisted(item.path("id").asText());
            };
            if (v != null) {
                return v;
            }
        }
        calls.removeAll(outputs);
        return calls.isEmpty() ? null
                : new Violation("No tool output found for function call " + calls.iterator().next() + ".", "input", null);
    }

    private static Violation notPersisted(String id) {
        return new Violation("Item with id '" + id + "' not found. Items are not persisted when `store` is set to"
                + " false. Try again with `store` set to true, or remove this item from your input.", "input", null);
    }
}
