package dev.berth.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelClientConfigTest {
    private static final Deployment OPENAI = Deployment.openAi("http://localhost:1/v1", null, null);

    @Test
    void classic_needs_a_deployment_name() {
        assertThatThrownBy(() -> new Deployment(null, URI.create("https://r.openai.azure.com"), Flavour.AZURE_CLASSIC,
                null, "2024-10-21", null, 0, null)).hasMessageContaining("deployment name");
    }

    @Test
    void classic_needs_an_api_version() {
        assertThatThrownBy(() -> Deployment.azureClassic("https://r.openai.azure.com", "d", " ", "k"))
                .hasMessageContaining("api-version");
    }

    @Test
    void base_url_must_be_http_without_query_or_user_info() {
        assertThatThrownBy(() -> Deployment.openAi("ftp://x/v1", null, null)).hasMessageContaining("http");
        assertThatThrownBy(() -> Deployment.openAi("https://x/v1?key=abc", null, null)).hasMessageContaining("query");
        assertThatThrownBy(() -> Deployment.openAi("https://u:p@x/v1", null, null)).hasMessageContaining("user info");
    }

    @Test
    void blank_keys_are_rejected_and_secrets_are_masked() {
        assertThatThrownBy(() -> new Auth.ApiKey("")).hasMessageContaining("api key");
        assertThat(new Auth.Bearer("tok-123").toString()).doesNotContain("tok-123");
        assertThat(new Auth.EntraClientSecret(Auth.ENTRA_AUTHORITY, "t", "c", "s3cr3t", null).toString())
                .doesNotContain("s3cr3t");
    }

    @Test
    void workload_identity_from_the_webhook_variables() {
        assertThat(Auth.WorkloadIdentity.fromEnvironment(Map.of("AZURE_TENANT_ID", "t", "AZURE_CLIENT_ID", "c",
                "AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token")))
                .hasValueSatisfying(w -> {
                    assertThat(w.authorityHost()).isEqualTo(Auth.ENTRA_AUTHORITY);
                    assertThat(w.tokenFile().toString()).endsWith("azure-identity-token");
                    assertThat(w.scope()).isEqualTo(Auth.COGNITIVE_SERVICES_SCOPE);
                });
        assertThat(Auth.WorkloadIdentity.fromEnvironment(Map.of("AZURE_TENANT_ID", "t"))).isEmpty();
    }

    @Test
    void id_defaults_to_host_and_deployment() {
        assertThat(Deployment.azureV1("https://res.openai.azure.com/openai/v1", "gpt-4o", "k").id())
                .isEqualTo("res.openai.azure.com/gpt-4o");
    }

    @Test
    void deployments_are_ordered_by_priority_then_configuration_order() {
        Deployment a = OPENAI.withId("a").withPriority(2);
        Deployment b = OPENAI.withId("b").withPriority(1);
        Deployment c = OPENAI.withId("c").withPriority(1);

        ModelClientConfig config = ModelClientConfig.single(OPENAI).withModel("m", a, b, c);

        assertThat(config.deploymentsFor("m")).extracting(Deployment::id).containsExactly("b", "c", "a");
        assertThat(config.deploymentsFor("unmapped")).containsExactly(OPENAI);
    }

    @Test
    void a_model_needs_deployments_and_the_config_needs_a_model_or_default() {
        assertThatThrownBy(() -> new ModelClientConfig(Map.of("m", List.of()), null, null, null, 10))
                .hasMessageContaining("at least one deployment");
        assertThatThrownBy(() -> new ModelClientConfig(Map.of(), null, null, null, 10))
                .hasMessageContaining("default deployment");
        assertThatThrownBy(() -> new ModelClientConfig(Map.of(), OPENAI, null, null, 0))
                .hasMessageContaining("maxConnectionsPerHost");
    }

    @Test
    void timeouts_and_retry_policy_are_validated() {
        assertThatThrownBy(() -> new Timeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("connect");
        assertThatThrownBy(() -> RetryPolicy.DEFAULTS.withMaxRetries(-1)).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO, 0, 0))
                .hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> new DeploymentLimits(-1, 0, 0)).hasMessageContaining(">= 0");
    }
}
