package dev.berth.model.config;

import java.net.URI;
import java.util.Objects;

/**
 * One endpoint that can serve a logical model.
 *
 * @param id         a name for logs, metrics and {@code CallInfo.deployment()}; never a secret
 * @param baseUrl    AZURE_V1: {@code https://{resource}.openai.azure.com/openai/v1};
 *                   OPENAI: {@code https://api.example/v1};
 *                   AZURE_CLASSIC: the resource endpoint {@code https://{resource}.openai.azure.com}
 * @param flavour    the route shape
 * @param deployment the Azure deployment name or OpenAI model sent on the wire (as {@code model}, or in
 *                   the path for AZURE_CLASSIC); null to send the caller's logical model name unchanged
 *                   (not allowed for AZURE_CLASSIC)
 * @param apiVersion the {@code api-version} query parameter: required for AZURE_CLASSIC (e.g.
 *                   {@code 2024-10-21}), optional for AZURE_V1 ({@code preview}), ignored for OPENAI
 * @param auth       credentials
 * @param priority   lower is tried first; deployments of equal priority keep their configured order
 * @param limits     client-side concurrency and RPM/TPM limits
 * @param streamUsage whether chat streams ask for usage ({@link StreamUsagePolicy#AUTO} when null)
 */
public record Deployment(String id, URI baseUrl, Flavour flavour, String deployment, String apiVersion, Auth auth,
        int priority, DeploymentLimits limits, StreamUsagePolicy streamUsage) {

    /** With {@link StreamUsagePolicy#AUTO}. */
    public Deployment(String id, URI baseUrl, Flavour flavour, String deployment, String apiVersion, Auth auth,
            int priority, DeploymentLimits limits) {
        this(id, baseUrl, flavour, deployment, apiVersion, auth, priority, limits, StreamUsagePolicy.AUTO);
    }

    public Deployment {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(flavour, "flavour");
        auth = auth == null ? new Auth.None() : auth;
        limits = limits == null ? DeploymentLimits.UNLIMITED : limits;
        streamUsage = streamUsage == null ? StreamUsagePolicy.AUTO : streamUsage;
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("baseUrl must be http(s): " + baseUrl);
        }
        if (baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl needs a host: " + baseUrl);
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawUserInfo() != null) {
            // a key smuggled into the URL would leak into logs
            throw new IllegalArgumentException("baseUrl must not carry a query or user info");
        }
        if (flavour == Flavour.AZURE_CLASSIC) {
            if (deployment == null || deployment.isBlank()) {
                throw new IllegalArgumentException("AZURE_CLASSIC needs a deployment name");
            }
            if (apiVersion == null || apiVersion.isBlank()) {
                throw new IllegalArgumentException("AZURE_CLASSIC needs an api-version, e.g. 2024-10-21");
            }
        }
        if (deployment != null && deployment.isBlank()) {
            throw new IllegalArgumentException("deployment must be null or non-blank");
        }
        if (id == null || id.isBlank()) {
            id = baseUrl.getHost() + (deployment == null ? "" : "/" + deployment);
        }
    }

    /** An Azure v1 deployment with an {@code api-key}; {@code baseUrl} ends in {@code /openai/v1}. */
    public static Deployment azureV1(String baseUrl, String deployment, String apiKey) {
        return new Deployment(null, URI.create(baseUrl), Flavour.AZURE_V1, deployment, null, new Auth.ApiKey(apiKey),
                0, null);
    }

    /** An Azure classic deployment ({@code /openai/deployments/{deployment}?api-version=}) with an {@code api-key}. */
    public static Deployment azureClassic(String endpoint, String deployment, String apiVersion, String apiKey) {
        return new Deployment(null, URI.create(endpoint), Flavour.AZURE_CLASSIC, deployment, apiVersion,
                new Auth.ApiKey(apiKey), 0, null);
    }

    /**
     * An OpenAI-compatible endpoint with a bearer key (null for none); {@code model} null sends the logical
     * model name unchanged.
     */
    public static Deployment openAi(String baseUrl, String model, String bearerToken) {
        return new Deployment(null, URI.create(baseUrl), Flavour.OPENAI, model, null,
                bearerToken == null ? new Auth.None() : new Auth.Bearer(bearerToken), 0, null);
    }

    public Deployment withId(String newId) {
        return new Deployment(newId, baseUrl, flavour, deployment, apiVersion, auth, priority, limits, streamUsage);
    }

    public Deployment withPriority(int newPriority) {
        return new Deployment(id, baseUrl, flavour, deployment, apiVersion, auth, newPriority, limits, streamUsage);
    }

    public Deployment withLimits(DeploymentLimits newLimits) {
        return new Deployment(id, baseUrl, flavour, deployment, apiVersion, auth, priority, newLimits, streamUsage);
    }

    public Deployment withAuth(Auth newAuth) {
        return new Deployment(id, baseUrl, flavour, deployment, apiVersion, newAuth, priority, limits, streamUsage);
    }

    public Deployment withStreamUsage(StreamUsagePolicy policy) {
        return new Deployment(id, baseUrl, flavour, deployment, apiVersion, auth, priority, limits, policy);
    }

    /** The same endpoint, credentials and limits calling another deployment (or model), under its own id. */
    public Deployment withDeployment(String newId, String newDeployment) {
        return new Deployment(newId, baseUrl, flavour, newDeployment, apiVersion, auth, priority, limits, streamUsage);
    }

    /** The name sent on the wire for a call of {@code logicalModel}. */
    public String wireModel(String logicalModel) {
        return deployment != null ? deployment : logicalModel;
    }
}
