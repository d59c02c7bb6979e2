package dev.berth.deploy.fuzz;

import dev.berth.deploy.fuzz.OpenApiRoutes.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Values for path parameters: a tenant's real objects, found by the path segment before the
 * parameter ({@code /v1/runs/{id}} takes a run), or unknown values of the same shape.
 */
public final class PathValues {
    private final TenantObjects objects;

    public PathValues(TenantObjects objects) {
        this.objects = objects;
    }

    /** The collection a path parameter names an object of: the segment before it. */
    public static String collection(Route route, String param) {
        String[] segments = route.path().split("/");
        for (int i = 1; i < segments.length; i++) {
            if (segments[i].equals("{" + param + "}")) {
                return segments[i - 1];
            }
        }
        throw new IllegalArgumentException(param + " is not a path parameter of " + route);
    }

    /** A real object for every path parameter, chosen at random where the tenant has several. */
    public Map<String, String> real(Route route, RandomGenerator random) {
        Map<String, String> values = new LinkedHashMap<>();
        for (OpenApiRoutes.Parameter param : route.in("path")) {
            List<String> candidates = objects.byCollection().getOrDefault(collection(route, param.name()), List.of());
            values.put(param.name(), candidates.isEmpty() ? "fuzz" : FuzzCases.encode(FuzzCases.pick(candidates, random)));
        }
        return values;
    }

    /** A value of the same shape as a real one, for every path parameter, that names nothing of the tenant. */
    public Map<String, String> unknown(Route route, RandomGenerator random) {
        Map<String, String> values = new LinkedHashMap<>();
        for (OpenApiRoutes.Parameter param : route.in("path")) {
            List<String> candidates = objects.byCollection().getOrDefault(collection(route, param.name()), List.of());
            String real = candidates.isEmpty() ? "fuzz" : FuzzCases.pick(candidates, random);
            String unknown = sameShape(real, random);
            while (candidates.contains(unknown)) {
                unknown = sameShape(real, random);
            }
            values.put(param.name(), FuzzCases.encode(unknown));
        }
        return values;
    }

    /** A random value shaped like {@code real}: a UUID for a UUID, digits for digits, letters for letters. */
    public static String sameShape(String real, RandomGenerator random) {
        try {
            UUID.fromString(real);
            return new UUID(random.nextLong(), random.nextLong()).toString().replaceFirst("^(.{14}).", "$14")
                    .replaceFirst("^(.{19}).", "$18");
        } catch (IllegalArgumentException notUuid) {
            StringBuilder shaped = new StringBuilder();
            for (char c : real.toCharArray()) {
                if (Character.isDigit(c)) {
                    shaped.append((char) ('1' + random.nextInt(9)));
                } else if (Character.isLetter(c)) {
                    shaped.append((char) ((Character.isUpperCase(c) ? 'A' : 'a') + random.nextInt(26)));
                } else {
                    shaped.append(c);
                }
            }
            return shaped.toString();
        }
    }

    /** Whether no sensible name rule could accept {@code encoded}: such values may go to routes that create by name. */
    static boolean neverAName(String encoded) {
        if (encoded.contains(";") || encoded.equals("..")) {
            return false;
        }
        return encoded.length() > 64 || encoded.chars().anyMatch(c -> !(Character.isLetterOrDigit(c) || c == '.'
                || c == '_' || c == '-'));
    }
}
