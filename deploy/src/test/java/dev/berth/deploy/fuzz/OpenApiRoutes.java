package dev.berth.deploy.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The routes of the running application, read from its own OpenAPI document ({@code /q/openapi}) at
 * run time, so that the suites cover a route the day it is added, without being edited.
 */
public final class OpenApiRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REF_DEPTH = 32;

    private final JsonNode document;
    private final List<Route> routes;

    private OpenApiRoutes(JsonNode document) {
        this.document = document;
        this.routes = readRoutes();
    }

    /** One method on one path template, with its declared parameters and JSON request body schema. */
    public record Route(String method, String path, List<Parameter> parameters, JsonNode bodySchema) {
        public List<Parameter> in(String where) {
            return parameters.stream().filter(p -> p.in().equals(where)).toList();
        }

        public boolean hasBody() {
            return bodySchema != null;
        }

        /** Methods that read only: whatever their input, they may not write. */
        public boolean safe() {
            return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A declared parameter: {@code in} is {@code path}, {@code query} or {@code header}. */
    public record Parameter(String name, String in, JsonNode schema) {
        public String type() {
            return schema.path("type").asText("string");
        }
    }

    /** Reads the document of the application at {@code base} (JSON format). */
    public static OpenApiRoutes load(URI base) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/q/openapi?format=json"))
                .header("Accept", "application/json").build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET /q/openapi answered " + answer.statusCode() + ": " + answer.body());
        }
        return new OpenApiRoutes(JSON.readTree(answer.body()));
    }

    public List<Route> routes() {
        return routes;
    }

    /** The schema with every {@code $ref} at its top replaced by what it refers to. */
    public JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int i = 0; current != null && current.has("$ref"); i++) {
            if (i > MAX_REF_DEPTH) {
                throw new IllegalStateException("$ref loop at " + schema);
            }
            current = document.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    private List<Route> readRoutes() {
        List<Route> found = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getKey().equals("parameters") || op.getKey().equals("summary")) {
                    continue;
                }
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode p : op.getValue().path("parameters")) {
                    JsonNode param = resolve(p);
                    parameters.add(new Parameter(param.path("name").asText(), param.path("in").asText(),
                            resolve(param.path("schema"))));
                }
                JsonNode body = null;
                for (Iterator<Map.Entry<String, JsonNode>> media = op.getValue().path("requestBody").path("content")
                        .fields(); media.hasNext();) {
                    Map.Entry<String, JsonNode> type = media.next();
                    if (type.getKey().contains("json")) {
                        body = resolve(type.getValue().path("schema"));
                    }
                }
                found.add(new Route(op.getKey().toUpperCase(), path.getKey(), List.copyOf(parameters), body));
            }
        }
        return List.copyOf(found);
    }
}
