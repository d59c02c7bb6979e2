package dev.berth.model.fake.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.internal.ModelJson;

/**
 * Why a real endpoint would refuse a request: the body of its 400 {@code invalid_request_error}.
 *
 * @param message the provider's message, naming the offending id or value
 * @param param   the path of the offending field, in the provider's notation
 * @param code    the provider's error code, or null where it sends none
 */
public record Violation(String message, String param, String code) {

    /** The OpenAI error body, which Azure OpenAI sends unchanged for these validation errors. */
    public ObjectNode body() {
        ObjectNode e = ModelJson.object();
        ObjectNode err = e.putObject("error").put("message", message).put("type", "invalid_request_error");
        if (param == null) {
            err.putNull("param");
        } else {
            err.put("param", param);
        }
        if (code == null) {
            err.putNull("code");
        } else {
            err.put("code", code);
        }
        return e;
    }
}
