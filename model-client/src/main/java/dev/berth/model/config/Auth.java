package dev.berth.model.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a deployment authenticates. Secrets never appear in {@link Object#toString()}, logs or
 * error messages: each record masks them.
 */
public sealed interface Auth {

    /** No credentials (local or fake servers). */
    record None() implements Auth {
    }

    /** Azure key sent as the {@code api-key} header. */
    record ApiKey(String key) implements Auth {
        public ApiKey {
            requireText(key, "api key");
        }

        @Override
        public String toString() {
            return "ApiKey[***]";
        }
    }

    /** A static token sent as {@code Authorization: Bearer <token>} (OpenAI keys, pre-issued tokens). */
    record Bearer(String token) implements Auth {
        public Bearer {
            requireText(token, "bearer token");
        }

        @Override
        public String toString() {
            return "Bearer[***]";
        }
    }

    /**
     * Microsoft Entra ID client-credentials flow with a client secret; the token is cached and
     * refreshed before it expires.
     *
     * @param authorityHost e.g. {@code https://login.microsoftonline.com}
     * @param scope         usually {@link #COGNITIVE_SERVICES_SCOPE}
     */
    record EntraClientSecret(String authorityHost, String tenantId, String clientId, String clientSecret,
            String scope) implements Auth {
        public EntraClientSecret {
            requireText(authorityHost, "authority host");
            requireText(tenantId, "tenant id");
            requireText(clientId, "client id");
            requireText(clientSecret, "client secret");
            scope = scope == null ? COGNITIVE_SERVICES_SCOPE : scope;
        }

        @Override
        public String toString() {
            return "EntraClientSecret[tenantId=" + tenantId + ", clientId=" + clientId + ", secret=***]";
        }
    }

    /**
     * Kubernetes workload identity: a federated service-account token read from
     * {@code tokenFile} (re-read on every refresh, since the kubelet rotates it) is exchanged
     * for an Entra ID token.
     */
    record WorkloadIdentity(String authorityHost, String tenantId, String clientId, Path tokenFile, String scope)
            implements Auth {
        public WorkloadIdentity {
            requireText(authorityHost, "authority host");
            requireText(tenantId, "tenant id");
            requireText(clientId, "client id");
            Objects.requireNonNull(tokenFile, "tokenFile");
            scope = scope == null ? COGNITIVE_SERVICES_SCOPE : scope;
        }

        /**
         * From the variables the Azure workload-identity webhook injects into a pod:
         * {@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID}, {@code AZURE_FEDERATED_TOKEN_FILE} and
         * optionally {@code AZURE_AUTHORITY_HOST}; empty when any required one is missing.
         */
        public static java.util.Optional<WorkloadIdentity> fromEnvironment(java.util.Map<String, String> env) {
            String tenant = env.get("AZURE_TENANT_ID");
            String client = env.get("AZURE_CLIENT_ID");
            String file = env.get("AZURE_FEDERATED_TOKEN_FILE");
            if (tenant == null || tenant.isBlank() || client == null || client.isBlank() || file == null || file.isBlank()) {
                return java.util.Optional.empty();
            }
            String authority = env.getOrDefault("AZURE_AUTHORITY_HOST", ENTRA_AUTHORITY);
            return java.util.Optional.of(new WorkloadIdentity(authority.isBlank() ? ENTRA_AUTHORITY : authority, tenant,
                    client, Path.of(file), null));
        }
    }

    /** The Entra ID scope of Azure OpenAI. */
    String COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";

    /** The public Entra ID authority. */
    String ENTRA_AUTHORITY = "https://login.microsoftonline.com";

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
