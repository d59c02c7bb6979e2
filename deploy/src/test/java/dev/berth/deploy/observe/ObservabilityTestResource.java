package dev.berth.deploy.observe;

import dev.berth.deploy.tools.DeskTools;
import dev.berth.toolserver.BerthToolServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A tool server built with Berth's SDK, reached through a proxy that records request headers. */
public class ObservabilityTestResource implements QuarkusTestResourceLifecycleManager {
    private static volatile HeaderRecordingProxy proxy;
    private BerthToolServer desk;

    static HeaderRecordingProxy proxy() {
        return proxy;
    }

    @Override
    public Map<String, String> start() {
        try {
            desk = BerthToolServer.builder().tools(new DeskTools()).host("127.0.0.1").port(0).start();
            proxy = HeaderRecordingProxy.start(desk.endpoint());
            return Map.of("berth.tools.mcp.desk.url", proxy.uri(desk.endpoint().getRawPath()).toString());
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start the tool server: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (desk != null) {
            desk.close();
        }
    }
}
