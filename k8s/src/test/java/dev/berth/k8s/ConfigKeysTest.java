package dev.berth.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every BERTH_* variable the manifests set is read by Berth: a misspelled variable would be
 * ignored silently and the default used. Berth's configuration keys are collected from the
 * source text of the other modules (config mappings, config properties, application.properties),
 * without depending on those modules.
 */
class ConfigKeysTest {
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern METHOD = Pattern.compile("^\\s+[\\w<>?, ]+\\s+(\\w+)\\(\\);", Pattern.MULTILINE);
    private static final Pattern LITERAL_KEY = Pattern.compile("\"(berth\\.[a-z0-9.-]+)\"");
    private static final Pattern PROPERTIES_KEY = Pattern.compile("(?:\\$\\{|^)(berth\\.[a-z0-9.-]+)", Pattern.MULTILINE);

    static Stream<String> overlays() {
        return Manifests.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyBerthVariableTheManifestsSetIsReadByBerth(String overlay) throws IOException {
        // Given the BERTH_* variables the overlay sets through the ConfigMap or the container's env
        List<RenderedObject> objects = Manifests.render(overlay);
        Set<String> variables = new TreeSet<>();
        Manifests.get(objects, "ConfigMap", "berth-config").object().path("data").fieldNames().forEachRemaining(variables::add);
        for (JsonNode env : Manifests.berthContainer(objects).path("env")) {
            variables.add(env.path("name").asText());
        }
        variables.removeIf(name -> !name.startsWith("BERTH_"));

        // When Berth's own configuration keys are collected from its sources
        Set<String> known = knownKeys();

        // Then each variable maps to one of them (BERTH_A_B_C -> berth.a.b-c, berth.a.bC, ...)
        assertThat(variables).isNotEmpty();
        assertThat(known).isNotEmpty();
        assertThat(variables).allSatisfy(variable ->
                assertThat(known).as(variable + " is a configuration key of Berth").contains(normalized(variable)));
    }

    private static Set<String> knownKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (Path file : mainSources()) {
            String text = Files.readString(file);
            if (file.toString().endsWith(".properties")) {
                collect(PROPERTIES_KEY.matcher(text), keys);
                continue;
            }
            collect(LITERAL_KEY.matcher(text), keys);
            Matcher mapping = MAPPING.matcher(text);
            if (mapping.find()) {
                Matcher method = METHOD.matcher(text);
                while (method.find()) {
                    keys.add(normalized(mapping.group(1) + "." + method.group(1)));
                }
            }
        }
        return keys;
    }

    private static void collect(Matcher matcher, Set<String> keys) {
        while (matcher.find()) {
            keys.add(normalized(matcher.group(1)));
        }
    }

    private static List<Path> mainSources() throws IOException {
        Path repository = Manifests.ROOT.getParent();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repository)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                Path main = module.resolve("src/main");
                if (Files.isDirectory(main) && !module.equals(Manifests.ROOT)) {
                    try (Stream<Path> files = Files.walk(main)) {
                        files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".properties"))
                                .forEach(sources::add);
                    }
                }
            }
        }
        return sources;
    }

    private static String normalized(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
