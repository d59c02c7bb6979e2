package dev.berth.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The process's {@link DatabaseRouting}, from its configuration; a bad {@code berth.db.pooler} stops the start. */
@ApplicationScoped
public class DatabaseRoutingProducer {

    @Produces
    @Singleton
    DatabaseRouting routing(@ConfigProperty(name = DatabaseRouting.URL) String url,
            @ConfigProperty(name = DatabaseRouting.DIRECT_URL) Optional<String> directUrl,
            @ConfigProperty(name = DatabaseRouting.POOLER, defaultValue = "none") String pooler) {
        return DatabaseRouting.of(url, directUrl.orElse(null), pooler);
    }
}
