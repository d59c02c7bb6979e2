package dev.berth.deploy;

import dev.berth.deploy.db.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;

/**
 * Starts Berth. With no database configured ({@code BERTH_DB_URL} / {@code berth.db.url}),
 * starts an embedded PostgreSQL first, whose data persists in {@code BERTH_DATA_DIR}
 * (default {@code ./.berth/pgdata}).
 */
@QuarkusMain
public final class BerthMain {
    private BerthMain() {
    }

    public static void main(String... args) {
        if (setting("berth.db.url") == null) {
            String dataDir = setting("berth.data.dir");
            String url = EmbeddedDatabase.start(Path.of(dataDir == null ? ".berth/pgdata" : dataDir));
            System.setProperty("berth.db.url", url);
            System.setProperty("berth.db.embedded", "true");
        }
        try {
            Quarkus.run(args);
        } finally {
            EmbeddedDatabase.stop();
        }
    }

    /** A setting from a system property or its environment-variable spelling. */
    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        }
        return value == null || value.isBlank() ? null : value;
    }
}
