package dev.berth.deploy.auth;

import dev.berth.deploy.platform.PlatformOnly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deploy.openai.ResponsesResource;
import dev.berth.deploy.rest.InfoResource;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.File;
import java.net.URISyntaxException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every resource method declares who may call it ({@link Allowed}, {@link PublicRoute} or
 * {@link PlatformOnly}, exactly one): a route added without a rule fails here, before any test boots the application (where
 * {@link RoleFilter} would refuse it to everyone, and RoleMatrixTest would miss it in its table).
 */
class RouteRulesTest {
    @Test
    void everyRouteDeclaresItsRolesOrThatItIsPublic() throws Exception {
        List<String> undeclared = new ArrayList<>();
        int routes = 0;
        for (Class<?> resource : resources()) {
            for (Method method : resource.getDeclaredMethods()) {
                if (!isRoute(method)) {
                    continue;
                }
                routes++;
                long rules = java.util.stream.Stream.of(Allowed.class, PublicRoute.class, PlatformOnly.class)
                        .filter(method::isAnnotationPresent).count();
                if (rules != 1) {
                    undeclared.add(resource.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertThat(undeclared).as("routes with no rule, or with both").isEmpty();
        // 43 native routes and the 4 of the OpenAI-compatible surface (ADRs 0035, 0040)
        assertThat(routes).isEqualTo(47);
    }

    /**
     * Every class with {@code @Path} in the packages of the resources (the native API's and the
     * OpenAI-compatible surface's), found on disk: a new one is seen too.
     */
    private static List<Class<?>> resources() throws URISyntaxException, ClassNotFoundException {
        List<Class<?>> found = new ArrayList<>();
        found.addAll(resources(InfoResource.class));
        found.addAll(resources(ResponsesResource.class));
        assertThat(found).hasSizeGreaterThanOrEqualTo(10);
        return found;
    }

    private static List<Class<?>> resources(Class<?> beside) throws URISyntaxException, ClassNotFoundException {
        String pkg = beside.getPackageName();
        File dir = new File(beside.getResource(beside.getSimpleName() + ".class").toURI()).getParentFile();
        List<Class<?>> found = new ArrayList<>();
        for (String file : dir.list((d, name) -> name.endsWith(".class") && !name.contains("$"))) {
            Class<?> type = Class.forName(pkg + "." + file.substring(0, file.length() - ".class".length()));
            if (type.isAnnotationPresent(Path.class)) {
                found.add(type);
            }
        }
        return found;
    }

    private static boolean isRoute(Method method) {
        return Arrays.stream(method.getAnnotations()).map(Annotation::annotationType)
                .anyMatch(type -> type.isAnnotationPresent(HttpMethod.class));
    }
}
