package dev.berth.deploy.tools;

import dev.berth.toolserver.BerthToolServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the tool tests' Berth uses besides its in-process tools: a plugin directory (one good
 * plugin, one broken), the npm MCP reference server over streamable HTTP and over stdio, and a
 * tool server built with Berth's SDK.
 */
public class ToolsTestResource implements QuarkusTestResourceLifecycleManager {
    private EverythingServer everything;
    private BerthToolServer desk;

    @Override
    public Map<String, String> start() {
        try {
            Path work = Path.of("target", "berth-tools-test").toAbsolutePath();
            Path plugins = PluginJars.build(work);
            Path everythingBin = EverythingServer.install();
            everything = EverythingServer.startStreamableHttp(everythingBin, work.resolve("everything.log"));
            desk = BerthToolServer.builder().tools(new DeskTools()).host("127.0.0.1").port(0).start();
            return Map.ofEntries(
                    Map.entry("berth.tools.policy.shaky.max-retries", "3"),
                    Map.entry("berth.tools.policy.shaky.retry-backoff", "50ms"),
                    Map.entry("berth.tools.policy.scarce.max-concurrent", "1"),
                    Map.entry("berth.tools.plugin-dir", plugins.toString()),
                    Map.entry("berth.tools.mcp.everything.url", everything.url()),
                    Map.entry("berth.tools.mcp.everystdio.command", everythingBin.toString()),
                    Map.entry("berth.tools.mcp.everystdio.args", "stdio"),
                    Map.entry("berth.tools.mcp.desk.url", desk.endpoint().toString()),
                    Map.entry("berth.engine.tool-timeout", "2s"));
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not prepare the tools for the test: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        if (desk != null) {
            desk.close();
        }
        if (everything != null) {
            everything.close();
        }
    }
}
