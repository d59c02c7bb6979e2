package dev.berth.deploy;

import java.net.URI;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where the application under test serves health and metrics: its management port, a free
 * one per test run ({@code quarkus.management.test-port=0}), read once the application is up.
 */
public final class ManagementPort {
    private ManagementPort() {
    }

    /** The absolute URL of {@code path} (such as {@code /q/health/ready}) on the management port. */
    public static String url(String path) {
        URI root = URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class));
        return root.getScheme() + "://" + root.getAuthority() + path;
    }
}
