package dev.berth.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.deploy.config.ModelConfig;
import dev.berth.model.ChatMessage;
import dev.berth.model.ChatRequest;
import dev.berth.model.ModelClient;
import dev.berth.model.ModelClients;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Demo mode's fake model is Berth's own: on loopback, behind a key drawn at start that Berth's
 * model client sends, remembering a bounded number of requests.
 */
class DemoModelTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Vertx vertx = Vertx.vertx();
    private DemoModel demo;
    private ModelClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (demo != null) {
            demo.close();
        }
        vertx.closeAndAwait();
    }

    @Test
    void berthsClientSendsTheKeyAndNobodyElseGetsIn() throws Exception {
        // Given demo mode's fake model and the client Berth makes for it
        demo = DemoModel.start(vertx, config(Map.of()));
        client = ModelClients.create(vertx, demo.clientConfig());

        // When Berth's client asks it something
        String answer = client.chat(ChatRequest.of("m", List.of(new ChatMessage.User("secret plans")), List.of()))
                .await().atMost(Duration.ofSeconds(10)).content();

        // Then it answers, since the client sent the per-process key
        assertThat(answer).contains("secret plans");
        assertThat(demo.fake().recordedRequests().getFirst().header("authorization"))
                .isEqualTo("Bearer " + demo.fake().apiKey());
        // and another local process, without the key, can neither read the prompt nor script an answer
        assertThat(get("/_fake/requests").statusCode()).isEqualTo(401);
        assertThat(get("/_fake/requests").body()).doesNotContain("secret plans");
        assertThat(post("/_fake/script", "[{\"text\":\"injected\"}]").statusCode()).isEqualTo(401);
        assertThat(post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}").statusCode()).isEqualTo(401);
        assertThat(demo.fake().pendingReplies()).isZero();
    }

    @Test
    void eachStartDrawsANewKey() {
        demo = DemoModel.start(vertx, config(Map.of()));
        try (DemoModel other = DemoModel.start(vertx, config(Map.of()))) {
            assertThat(demo.fake().apiKey()).isNotBlank().isNotEqualTo(other.fake().apiKey());
        }
    }

    @Test
    void itListensOnLoopbackOnly() throws IOException {
        demo = DemoModel.start(vertx, config(Map.of()));

        assertThat(InetAddress.getByName(URI.create(demo.baseUrl()).getHost()).isLoopbackAddress()).isTrue();
        // Not reachable on this machine's other addresses (when it has one)
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
        if (external.isPresent()) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(external.get(), demo.fake().port()), 2000);
                }
            }).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void itKeepsOnlyTheNewestRequests() {
        // Given a demo model that keeps 10 requests
        demo = DemoModel.start(vertx, config(Map.of("berth.model.demo-record-limit", "10")));
        client = ModelClients.create(vertx, demo.clientConfig());

        // When 110 model calls are made
        for (int i = 0; i < 110; i++) {
            client.chat(ChatRequest.of("m", List.of(new ChatMessage.User("call " + i)), List.of()))
                    .await().atMost(Duration.ofSeconds(10));
        }

        // Then it remembers the newest 10
        assertThat(demo.fake().requests()).hasSize(10);
        assertThat(demo.fake().requests().getLast().toString()).contains("call 109");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(origin() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(origin() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String origin() {
        return demo.fake().origin();
    }

    private static ModelConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(ModelConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(ModelConfig.class);
    }
}
