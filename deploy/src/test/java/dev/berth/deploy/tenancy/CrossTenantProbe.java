package dev.berth.deploy.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.fuzz.OpenApiRoutes.Parameter;
import dev.berth.deploy.fuzz.OpenApiRoutes.Route;
import dev.berth.deploy.fuzz.PathValues;
import dev.berth.deploy.fuzz.RawAnswer;
import dev.berth.deploy.fuzz.RawHttp;
import dev.berth.deploy.fuzz.RawRequest;
import dev.berth.deploy.fuzz.SchemaBodies;
import dev.berth.deploy.fuzz.TenantObjects;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Asks one route, with tenant B's key, about each of tenant A's objects and about an unknown object
 * of the same shape, and says whether the answers are the same. Path parameters are filled by
 * the path segment before them ({@link PathValues#collection}); query parameters and body
 * properties with A's known values by name; the body is the plainest one the schema allows.
 */
final class CrossTenantProbe {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
            + "[0-9a-fA-F]{12}");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z?");

    private final TenantObjects a;
    private final TenantObjects b;
    private final SchemaBodies bodies;
    private final RawHttp http;
    private final RandomGenerator random;

    CrossTenantProbe(TenantObjects a, TenantObjects b, SchemaBodies bodies, RawHttp http, RandomGenerator random) {
        this.a = a;
        this.b = b;
        this.bodies = bodies;
        this.http = http;
        this.random = random;
    }

    /** B's answers for one of A's objects and for an unknown one. */
    record Comparison(Route route, String aTarget, String unknownTarget, int aStatus, int unknownStatus,
            String aBody, String unknownBody) {
        boolean same() {
            return aStatus == unknownStatus && aBody.equals(unknownBody);
        }

        @Override
        public String toString() {
            return String.format("%s %s: %d vs unknown %s: %d%s", route.method(), aTarget, aStatus, unknownTarget,
                    unknownStatus, same() ? "" : " DIFFERENT: " + aBody + " vs " + unknownBody);
        }
    }

    /** The path parameters of {@code route} that name no kind of object A has. */
    List<String> unfillable(Route route) {
        List<String> missing = new ArrayList<>();
        for (Parameter param : route.in("path")) {
            if (!a.byCollection().containsKey(PathValues.collection(route, param.name()))) {
                missing.add("{" + param.name() + "} after /" + PathValues.collection(route, param.name()));
            }
        }
        return missing;
    }

    /** One comparison per combination of A's objects for the route's path parameters. */
    List<Comparison> compare(Route route) {
        List<Comparison> comparisons = new ArrayList<>();
        for (Map<String, String> values : combinations(route)) {
            Map<String, String> unknown = new LinkedHashMap<>();
            values.forEach((name, value) -> unknown.put(name, unknownLike(value)));
            String aTarget = target(route, values);
            String unknownTarget = target(route, unknown);
            RawAnswer forA = send(route, aTarget);
            RawAnswer forUnknown = send(route, unknownTarget);
            comparisons.add(new Comparison(route, aTarget, unknownTarget, forA.status(), forUnknown.status(),
                    normalized(forA, values), normalized(forUnknown, unknown)));
        }
        return comparisons;
    }

    /** B's answer to a listing route, with A's known values in its query. */
    RawAnswer list(Route route) {
        return send(route, target(route, Map.of()));
    }

    private List<Map<String, String>> combinations(Route route) {
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (Parameter param : route.in("path")) {
            List<Map<String, String>> longer = new ArrayList<>();
            for (Map<String, String> partial : combinations) {
                for (String value : a.byCollection().get(PathValues.collection(route, param.name()))) {
                    Map<String, String> next = new LinkedHashMap<>(partial);
                    next.put(param.name(), value);
                    longer.add(next);
                }
            }
            combinations = longer;
        }
        return combinations;
    }

    private String unknownLike(String value) {
        String unknown = PathValues.sameShape(value, random);
        while (a.allValues().contains(unknown) || b.allValues().contains(unknown) || unknown.equals(value)) {
            unknown = PathValues.sameShape(value, random);
        }
        return unknown;
    }

    private String target(Route route, Map<String, String> path) {
        String target = route.path();
        for (Map.Entry<String, String> value : path.entrySet()) {
            target = target.replace("{" + value.getKey() + "}", encode(value.getValue()));
        }
        StringBuilder query = new StringBuilder();
        for (Parameter param : route.in("query")) {
            JsonNode known = a.fields().get(param.name());
            if (known != null) {
                query.append(query.isEmpty() ? '?' : '&').append(param.name()).append('=').append(encode(known.asText()));
            }
        }
        return target + query;
    }

    private RawAnswer send(Route route, String target) {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Authorization", "Bearer " + b.key()});
        byte[] body = null;
        if (route.hasBody()) {
            headers.add(new String[] {"Content-Type", "application/json"});
            body = bodies.plain(route.bodySchema()).toString().getBytes(StandardCharsets.UTF_8);
        }
        return http.send(RawRequest.of(route.method(), target, headers, body), random);
    }

    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"[^\"]*\"");

    /**
     * The answer with the values asked about, UUIDs and times masked: what must not differ. A value
     * is masked only where it stands alone, so that asking for version 4 does not mask {@code 404}.
     */
    private static String normalized(RawAnswer answer, Map<String, String> asked) {
        // Every answer carries a fresh request id; it is masked first, so no value asked about is found inside it.
        String text = answer.contentType().split(";")[0] + " " + REQUEST_ID.matcher(answer.text()).replaceAll("\"requestId\":\"<id>\"");
        for (String value : asked.values()) {
            for (String form : List.of(value, encode(value))) {
                text = text.replaceAll("(?<![A-Za-z0-9])" + Pattern.quote(form) + "(?![A-Za-z0-9])", "<asked>");
            }
        }
        return TIME.matcher(UUID.matcher(text).replaceAll("<uuid>")).replaceAll("<time>");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
