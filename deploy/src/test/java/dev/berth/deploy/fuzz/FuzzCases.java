package dev.berth.deploy.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.deploy.fuzz.OpenApiRoutes.Parameter;
import dev.berth.deploy.fuzz.OpenApiRoutes.Route;
import dev.berth.deploy.fuzz.SchemaBodies.Leaf;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Builds one request of a given {@link InputKind} for a route. The parts the kind does not spoil
 * are filled so that nothing can be written: with the tenant's real objects when the spoiled part
 * is refused before anything is done (a body, a key), and with unknown ids and a body carrying an
 * unknown field otherwise ("refused base"), except for reading methods, which may use real objects.
 */
public final class FuzzCases {
    /** A request, and what was done to it (for the report). */
    public record FuzzCase(Route route, InputKind kind, String note, RawRequest request) {
    }

    private static final String UNKNOWN_FIELD = "fuzzUnknownField";
    private static final String JSON = "application/json";

    private final TenantObjects objects;
    private final SchemaBodies bodies;
    private final PathValues values;
    private final Map<String, List<String>> methodsByPath;
    private final long maxBodyBytes;
    private final Map<Route, String> otherKeys = new LinkedHashMap<>();

    public FuzzCases(TenantObjects objects, SchemaBodies bodies, List<Route> routes, long maxBodyBytes) {
        this.objects = objects;
        this.bodies = bodies;
        this.values = new PathValues(objects);
        this.maxBodyBytes = maxBodyBytes;
        this.methodsByPath = new LinkedHashMap<>();
        routes.forEach(r -> methodsByPath.computeIfAbsent(r.path(), p -> new ArrayList<>()).add(r.method()));
    }

    public FuzzCase make(Route route, InputKind kind, RandomGenerator random) {
        return switch (kind) {
            case MALFORMED_JSON, TRAILING_CONTENT, WRONG_TYPE, UNKNOWN_FIELD, NUL_CHAR, RAW_CONTROL_CHAR,
                    LONE_SURROGATE, INVALID_UTF8, NUMBER_EXTREME, DEEP_NESTING, OVERSIZED, CONTENT_TYPE, CHUNKED ->
                    BodyMutations.make(this, route, kind, random);
            case PATH_ODD, PATH_UNKNOWN -> path(route, kind, random);
            case QUERY_ODD -> query(route, random);
            case AUTH -> auth(route, random);
            case ODD_HEADERS, FRAMING, WRONG_METHOD, UNKNOWN_ROUTE -> HttpMutations.make(this, route, kind, random);
        };
    }

    /** Unknown ids and no body, with the tenant's key: a 403 says the route needs another key. */
    public RawRequest bodiless(Route route, RandomGenerator random) {
        return base(route, values.unknown(route, random), Map.of(), null);
    }

    /** Sends {@code route}'s requests with {@code key} instead of the tenant's (routes only an operator may use). */
    public void useKey(Route route, String key) {
        otherKeys.put(route, key);
    }

    /** A reading route asked without a key: a route that answers it needs none ({@code /v1/info}). */
    public RawRequest withoutKey(Route route, RandomGenerator random) {
        return realBase(route, null, random).withoutHeader("Authorization");
    }

    // --- parts shared by the mutation classes

    /** Real objects in the path, default query: for requests whose spoiled part is refused first. */
    RawRequest realBase(Route route, byte[] body, RandomGenerator random) {
        return base(route, values.real(route, random), Map.of(), body);
    }

    /** Unknown ids in the path (real ones for reading methods) and a body with an unknown field. */
    RawRequest refusedBase(Route route, RandomGenerator random) {
        return refusedBase(route, random, route.safe());
    }

    /** The refused base with unknown ids whatever the method: for requests that change the method. */
    RawRequest unknownBase(Route route, RandomGenerator random) {
        return refusedBase(route, random, false);
    }

    private RawRequest refusedBase(Route route, RandomGenerator random, boolean realPath) {
        Map<String, String> path = realPath ? values.real(route, random) : values.unknown(route, random);
        return base(route, path, Map.of(), route.hasBody() ? refusedBody(route) : null);
    }

    byte[] refusedBody(Route route) {
        JsonNode body = full(route);
        if (body instanceof ObjectNode object) {
            object.put(UNKNOWN_FIELD, 1);
            return new JsonSplicer(object).bytes();
        }
        return "{\"fuzzUnknownField\":1}".getBytes(StandardCharsets.UTF_8);
    }

    JsonNode full(Route route) {
        return bodies.full(route.bodySchema());
    }

    /** The schema of the node at {@code pointer} in a body of {@code route} (missing if none is declared). */
    JsonNode schemaAt(Route route, String pointer) {
        return bodies.schemaAt(route.bodySchema(), pointer);
    }

    JsonNode plain(Route route) {
        return bodies.plain(route.bodySchema());
    }

    List<Leaf> leaves(JsonNode body) {
        return SchemaBodies.leaves(body);
    }

    String unknownField() {
        return UNKNOWN_FIELD;
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }

    List<String> declaredMethods(String path) {
        return methodsByPath.getOrDefault(path, List.of());
    }

    PathValues values() {
        return values;
    }

    RawRequest base(Route route, Map<String, String> path, Map<String, String> query, byte[] body) {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Authorization", "Bearer " + otherKeys.getOrDefault(route, objects.key())});
        if (body != null) {
            headers.add(new String[] {"Content-Type", JSON});
        }
        return RawRequest.of(route.method(), target(route.path(), path, query), headers, body);
    }

    static String target(String template, Map<String, String> path, Map<String, String> query) {
        String target = template;
        for (Map.Entry<String, String> value : path.entrySet()) {
            target = target.replace("{" + value.getKey() + "}", value.getValue());
        }
        StringBuilder withQuery = new StringBuilder(target);
        char separator = '?';
        for (Map.Entry<String, String> value : query.entrySet()) {
            withQuery.append(separator).append(value.getKey()).append('=').append(value.getValue());
            separator = '&';
        }
        return withQuery.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static <T> T pick(List<T> list, RandomGenerator random) {
        return list.get(random.nextInt(list.size()));
    }

    // --- path, query and key mutations

    private FuzzCase path(Route route, InputKind kind, RandomGenerator random) {
        List<Parameter> params = route.in("path");
        Parameter spoiled = pick(params, random);
        Map<String, String> path = route.safe() ? values.real(route, random) : values.unknown(route, random);
        String value;
        if (kind == InputKind.PATH_UNKNOWN) {
            value = values.unknown(route, random).get(spoiled.name());
        } else {
            List<String> candidates = route.method().equals("PUT") ? OddValues.PATH.stream()
                    .filter(PathValues::neverAName).toList() : OddValues.PATH;
            value = pick(candidates, random);
        }
        path.put(spoiled.name(), value);
        byte[] body = route.hasBody() ? new JsonSplicer(plain(route)).bytes() : null;
        return new FuzzCase(route, kind, spoiled.name() + "=" + abbreviate(value),
                base(route, path, Map.of(), body));
    }

    private FuzzCase query(Route route, RandomGenerator random) {
        Parameter spoiled = pick(route.in("query"), random);
        String value = pick(switch (spoiled.type()) {
            case "integer", "number" -> OddValues.INTEGER_QUERY;
            case "boolean" -> OddValues.BOOLEAN_QUERY;
            default -> OddValues.STRING_QUERY;
        }, random);
        RawRequest base = route.safe() ? realBase(route, null, random) : refusedBase(route, random);
        Map<String, String> query = new LinkedHashMap<>();
        for (Parameter other : route.in("query")) {
            JsonNode known = objects.fields().get(other.name());
            if (known != null && random.nextBoolean()) {
                query.put(other.name(), encode(known.asText()));
            }
        }
        query.put(spoiled.name(), value);
        if (random.nextInt(4) == 0) {
            query.put(spoiled.name() + "=1&" + spoiled.name(), value);
        }
        String path = base.target();
        return new FuzzCase(route, InputKind.QUERY_ODD, spoiled.name() + "=" + abbreviate(value),
                base.withTarget(target(path, Map.of(), query)));
    }

    private FuzzCase auth(Route route, RandomGenerator random) {
        byte[] body = route.hasBody() ? new JsonSplicer(plain(route)).bytes() : null;
        RawRequest base = realBase(route, body, random).withoutHeader("Authorization");
        List<String> keys = List.of("", "Bearer", "Bearer ", "Bearer brt_wrong", "Basic YWRtaW46YWRtaW4=",
                "Bearer " + key(route) + "x", "Bearer " + "k".repeat(5000), "Token " + key(route),
                "Bearer " + key(route).substring(0, key(route).length() - 1));
        int choice = random.nextInt(keys.size() + 1);
        if (choice == keys.size()) {
            return new FuzzCase(route, InputKind.AUTH, "no Authorization", base);
        }
        String key = keys.get(choice);
        return new FuzzCase(route, InputKind.AUTH, "Authorization: " + abbreviate(key),
                base.withHeader("Authorization", key));
    }

    private String key(Route route) {
        return otherKeys.getOrDefault(route, objects.key());
    }

    static String abbreviate(String value) {
        String shown = value.length() > 40 ? value.substring(0, 24) + "...(" + value.length() + ")" : value;
        StringBuilder printable = new StringBuilder();
        shown.codePoints().forEach(c -> printable.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c)
                : new String(Character.toChars(c))));
        return printable.toString();
    }
}
