package dev.berth.model;

import static dev.berth.model.FakeServerExtension.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.model.config.Auth;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.ModelClientConfig;
import dev.berth.model.config.RetryPolicy;
import dev.berth.model.fake.FakeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntraAuthTest {
    // A keyed fake takes its key as the only valid client secret or federated assertion, and the
    // tokens it issues instead of the key on model routes. Tokens live 20 minutes: refreshed 5 minutes before expiry.
    static final String CREDENTIAL = "static-key";
    static final FakeServerExtension env = new FakeServerExtension(FakeOptions.defaults().withApiKey(CREDENTIAL)
            .withTokenLifetime(Duration.ofMinutes(20)));

    @AfterAll
    static void close() {
        env.close();
    }

    @BeforeEach
    void reset() {
        env.reset();
    }

    private ModelClient client(Auth auth) {
        Deployment d = Deployment.azureV1(env.fake.baseUrl(), "dep", "unused").withAuth(auth);
        return env.client(ModelClientConfig.single(d).withRetry(RetryPolicy.NONE));
    }

    private static ChatRequest hi() {
        return ChatRequest.of("m", List.of(new ChatMessage.User("hi")), List.of());
    }

    @Test
    void client_secret_token_is_fetched_once_cached_and_refreshed_before_expiry() {
        try (ModelClient c = client(new Auth.EntraClientSecret(env.fake.origin(), "tenant-1", "client-1", CREDENTIAL, null))) {
            await(c.chat(hi()));
            await(c.chat(hi()));
            assertThat(env.fake.tokenRequests()).isEqualTo(1);
            String firstToken = env.fake.recordedRequests().getFirst().header("authorization");
            assertThat(firstToken).startsWith("Bearer fake-entra-token-");
            assertThat(env.fake.recordedRequests().get(1).header("authorization")).isEqualTo(firstToken);

            // When 16 minutes pass (inside the 5-minute refresh window, token still valid)
            env.nanos.addAndGet(Duration.ofMinutes(16).toNanos());
            await(c.chat(hi()));

            // Then a new token was fetched and used
            assertThat(env.fake.tokenRequests()).isEqualTo(2);
            assertThat(env.fake.recordedRequests().get(2).header("authorization")).isNotEqualTo(firstToken);
        }
    }

    @Test
    void concurrent_first_calls_share_one_token_request() {
        try (ModelClient c = client(new Auth.EntraClientSecret(env.fake.origin(), "t", "c", CREDENTIAL, null))) {
            io.smallrye.mutiny.Uni.join().all(List.of(c.chat(hi()), c.chat(hi()), c.chat(hi()), c.chat(hi())))
                    .andFailFast().await().atMost(Duration.ofSeconds(10));

            assertThat(env.fake.tokenRequests()).isEqualTo(1);
        }
    }

    @Test
    void workload_identity_sends_the_federated_token_file_as_client_assertion(@TempDir Path dir) throws IOException {
        Path tokenFile = dir.resolve("azure-identity-token");
        Files.writeString(tokenFile, CREDENTIAL + "\n");

        try (ModelClient c = client(new Auth.WorkloadIdentity(env.fake.origin(), "t", "c", tokenFile, null))) {
            ChatResponse r = await(c.chat(hi()));

            assertThat(r.content()).isNotBlank();
            assertThat(env.fake.tokenRequests()).isEqualTo(1);
        }
    }

    @Test
    void a_refused_secret_is_an_authentication_error_that_never_shows_the_secret() {
        try (ModelClient c = client(new Auth.EntraClientSecret(env.fake.origin(), "t", "c", "invalid", null))) {
            Throwable t = catchThrowable(() -> await(c.chat(hi())));

            assertThat(t).isInstanceOf(ModelException.Authentication.class).hasMessageNotContaining("invalid");
            assertThat(env.fake.requests()).isEmpty();
        }
    }

    @Test
    void token_scope_defaults_to_cognitive_services() {
        assertThat(new Auth.EntraClientSecret(Auth.ENTRA_AUTHORITY, "t", "c", "s", null).scope())
                .isEqualTo("https://cognitiveservices.azure.com/.default");
    }
}
