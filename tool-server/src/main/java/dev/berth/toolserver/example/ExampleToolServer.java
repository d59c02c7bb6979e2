package dev.berth.toolserver.example;

import dev.berth.toolserver.BerthToolServer;

/**
 * A standalone tool server: {@code java -jar berth-tool-server.jar} (port from {@code PORT},
 * default 8090). Point Berth at it with {@code berth.tools.mcp.desk.url=http://<host>:8090/mcp};
 * agents then use {@code desk__open_ticket} and {@code desk__list_tickets}.
 */
public final class ExampleToolServer {

    private ExampleToolServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8090"));
        BerthToolServer server = BerthToolServer.builder()
                .tools(new ExampleTools())
                .port(port)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tool-server-shutdown"));
        System.out.println("Serving " + server.toolNames() + " at " + server.endpoint());
        server.join();
    }
}
