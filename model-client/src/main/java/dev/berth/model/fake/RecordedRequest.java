package dev.berth.model.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A request the fake received.
 *
 * @param method  HTTP method
 * @param path    path without query
 * @param query   raw query string or null
 * @param headers request headers, names lower-cased (first value of each)
 * @param body    parsed JSON body, or a text node when it was not JSON
 */
public record RecordedRequest(String method, String path, String query, Map<String, String> headers, JsonNode body) {
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
