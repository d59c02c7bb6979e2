package dev.berth.deploy.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Quarkus's datasource keys as Berth's settings make them; an explicit Quarkus key wins. */
class DatabaseRoutingInterceptorTest {
    private static final String POOLED = "postgresql://db:6432/berth";
    private static final String DIRECT = "postgresql://db:5432/berth";

    @Test
    void withoutAPoolerTheQuarkusKeysAreTheOneUrlAndTheClientsDefaults() {
        SmallRyeConfig config = config(Map.of("berth.db.url", DIRECT));

        assertThat(value(config, DatabaseRoutingInterceptor.REACTIVE_URL)).contains(DIRECT);
        assertThat(value(config, DatabaseRoutingInterceptor.JDBC_URL)).contains("jdbc:" + DIRECT);
        assertThat(value(config, DatabaseRoutingInterceptor.CACHE_PREPARED)).isEmpty();
        assertThat(value(config, DatabaseRoutingInterceptor.LAYER7_PROXY)).isEmpty();
    }

    @Test
    void behindATransactionPoolerPreparedStatementsAreOffAndFlywayGoesDirect() {
        SmallRyeConfig config = config(Map.of("berth.db.url", POOLED, "berth.db.direct-url", DIRECT,
                "berth.db.pooler", "transaction"));

        assertThat(value(config, DatabaseRoutingInterceptor.REACTIVE_URL)).contains(POOLED);
        assertThat(value(config, DatabaseRoutingInterceptor.JDBC_URL)).contains("jdbc:" + DIRECT + "?prepareThreshold=0");
        assertThat(value(config, DatabaseRoutingInterceptor.CACHE_PREPARED)).contains("false");
        assertThat(value(config, DatabaseRoutingInterceptor.LAYER7_PROXY)).contains("true");
    }

    @Test
    void anExplicitQuarkusSettingWins() {
        Map<String, String> properties = new HashMap<>(Map.of("berth.db.url", POOLED, "berth.db.pooler", "transaction"));
        properties.put(DatabaseRoutingInterceptor.JDBC_URL, "jdbc:postgresql://elsewhere:5432/berth");
        SmallRyeConfig config = config(properties);

        assertThat(value(config, DatabaseRoutingInterceptor.JDBC_URL)).contains("jdbc:postgresql://elsewhere:5432/berth");
    }

    @Test
    void withoutBerthsUrlNothingIsDerived() {
        assertThat(value(config(Map.of()), DatabaseRoutingInterceptor.REACTIVE_URL)).isEmpty();
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withInterceptors(new DatabaseRoutingInterceptor())
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .build();
    }

    private static Optional<String> value(SmallRyeConfig config, String name) {
        return config.getOptionalValue(name, String.class);
    }
}
