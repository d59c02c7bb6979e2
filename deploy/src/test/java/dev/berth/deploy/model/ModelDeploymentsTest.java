package dev.berth.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.deploy.config.ModelConfig;
import dev.berth.model.config.Auth;
import dev.berth.model.config.Deployment;
import dev.berth.model.config.Flavour;
import dev.berth.model.config.ModelClientConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Berth's model settings, as an operator writes them, become the client's deployments. */
class ModelDeploymentsTest {

    @Test
    void nothingConfiguredMeansDemoMode() {
        ModelConfig config = config(Map.of());

        assertThat(ModelDeployments.demo(config)).isTrue();
    }

    @Test
    void anAzureEndpointWithAKeyBecomesTheDefaultDeploymentWithAnApiKeyHeader() {
        ModelConfig config = config(Map.of(
                "berth.model.endpoint", "https://contoso.openai.azure.com/openai/v1",
                "berth.model.api-key", "secret",
                "berth.model.deployment", "gpt-4o-prod"));

        ModelClientConfig client = ModelDeployments.clientConfig(config, Map.of());

        Deployment fallback = client.defaultDeployment();
        assertThat(fallback.flavour()).isEqualTo(Flavour.AZURE_V1);
        assertThat(fallback.deployment()).isEqualTo("gpt-4o-prod");
        assertThat(fallback.auth()).isEqualTo(new Auth.ApiKey("secret"));
        assertThat(ModelDeployments.demo(config)).isFalse();
    }

    @Test
    void namedDeploymentsServeTheirModelsInPriorityOrder() {
        ModelConfig config = config(Map.of(
                "berth.model.deployments.france.endpoint", "https://fr.openai.azure.com/openai/v1",
                "berth.model.deployments.france.api-key", "k2",
                "berth.model.deployments.france.priority", "1",
                "berth.model.deployments.france.models", "gpt-4o",
                "berth.model.deployments.sweden.endpoint", "https://se.openai.azure.com/openai/v1",
                "berth.model.deployments.sweden.api-key", "k1",
                "berth.model.deployments.sweden.models", "gpt-4o,planner"));

        ModelClientConfig client = ModelDeployments.clientConfig(config, Map.of());

        assertThat(client.models().get("gpt-4o")).extracting(Deployment::id).containsExactly("sweden", "france");
        assertThat(client.models().get("planner")).extracting(Deployment::id).containsExactly("sweden");
        assertThat(client.defaultDeployment()).isNull();
    }

    @Test
    void workloadIdentityReadsTheFederatedTokenSettings() {
        ModelConfig config = config(Map.of(
                "berth.model.endpoint", "https://contoso.openai.azure.com/openai/v1",
                "berth.model.auth", "workload-identity"));

        ModelClientConfig client = ModelDeployments.clientConfig(config, Map.of(
                "AZURE_TENANT_ID", "tenant", "AZURE_CLIENT_ID", "client",
                "AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token"));

        assertThat(client.defaultDeployment().auth()).isInstanceOf(Auth.WorkloadIdentity.class);
    }

    @Test
    void workloadIdentityWithoutItsSettingsIsRefusedClearly() {
        ModelConfig config = config(Map.of(
                "berth.model.endpoint", "https://contoso.openai.azure.com/openai/v1",
                "berth.model.auth", "workload-identity"));

        assertThatThrownBy(() -> ModelDeployments.clientConfig(config, Map.of()))
                .hasMessageContaining("AZURE_FEDERATED_TOKEN_FILE");
    }

    @Test
    void anOpenAiCompatibleEndpointSendsTheKeyAsABearerToken() {
        ModelConfig config = config(Map.of("berth.model.endpoint", "http://127.0.0.1:9000/v1",
                "berth.model.api-key", "sk-test"));

        Deployment fallback = ModelDeployments.clientConfig(config, Map.of()).defaultDeployment();

        assertThat(fallback.flavour()).isEqualTo(Flavour.OPENAI);
        assertThat(fallback.auth()).isEqualTo(new Auth.Bearer("sk-test"));
    }

    @Test
    void aNamedDeploymentWithoutModelsIsRefusedAtStart() {
        assertThatThrownBy(() -> config(Map.of("berth.model.deployments.x.endpoint", "http://127.0.0.1:9000/v1")))
                .hasMessageContaining("berth.model.deployments.x.models");
    }

    private static ModelConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(ModelConfig.class)
                // Quarkus's own converter, so durations read as they do in the application ("0s").
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(ModelConfig.class);
    }

}
