package dev.berth.deploy.db;

import dev.berth.store.DatabaseRouting;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Derives Quarkus's datasource settings from Berth's ({@code berth.db.url}, {@code berth.db.direct-url},
 * {@code berth.db.pooler}) through {@link DatabaseRouting}, the one place of the rule (ADR 0026): the
 * reactive URL, Flyway's JDBC URL, and, behind a transaction pooler, no cached prepared statements and
 * the client's layer-7-proxy mode (unnamed statements only). A Quarkus key set explicitly (an operator's
 * {@code QUARKUS_DATASOURCE_...}) wins; with no {@code berth.db.url} nothing is derived.
 */
@Priority(Priorities.APPLICATION)
public class DatabaseRoutingInterceptor implements ConfigSourceInterceptor {
    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String CACHE_PREPARED = "quarkus.datasource.reactive.cache-prepared-statements";
    static final String LAYER7_PROXY = "quarkus.datasource.reactive.postgresql.use-layer7-proxy";

    /** What each derived key is, given the routing; null leaves the key as configured. */
    private static final Map<String, Function<DatabaseRouting, String>> DERIVED = Map.of(
            REACTIVE_URL, DatabaseRouting::reactiveUrl,
            JDBC_URL, DatabaseRouting::jdbcUrl,
            CACHE_PREPARED, routing -> routing.serverSidePreparedStatements() ? null : "false",
            LAYER7_PROXY, routing -> routing.serverSidePreparedStatements() ? null : "true");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        Function<DatabaseRouting, String> derive = DERIVED.get(name);
        if (derive == null || (value != null && !isDefault(value))) {
            return value;
        }
        String url = raw(context, DatabaseRouting.URL);
        if (url == null) {
            return value;
        }
        String derived = derive.apply(DatabaseRouting.of(url, raw(context, DatabaseRouting.DIRECT_URL),
                raw(context, DatabaseRouting.POOLER)));
        return derived == null ? value : ConfigValue.builder().withName(name).withValue(derived)
                .withConfigSourceName(DatabaseRoutingInterceptor.class.getSimpleName()).build();
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> names = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(names::add);
        if (raw(context, DatabaseRouting.URL) != null) {
            names.addAll(DERIVED.keySet());
        }
        return names.iterator();
    }

    private static String raw(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue();
    }

    /** The extension's own default, not a value anyone set. */
    private static boolean isDefault(ConfigValue value) {
        return value.getConfigSourceOrdinal() == Integer.MIN_VALUE
                || (value.getConfigSourceName() != null && value.getConfigSourceName().startsWith("DefaultValues"));
    }
}
