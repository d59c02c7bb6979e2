package dev.berth.deploy.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.deploy.auth.ApiKeys;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a bearer credential is told to be a token, and how a verified token's claims become a principal. */
class TokenPrincipalMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID TENANT = UUID.randomUUID();
    private static final OidcIssuer KEYCLOAK = new OidcIssuer("kc", "https://idp.example/realms/berth",
            List.of("berth-api"), Optional.empty(), Optional.of("berth.tenant"), "realm_access.roles", "sub",
            Duration.ofMinutes(1));
    private static final OidcIssuer ENTRA = new OidcIssuer("entra", "https://login.microsoftonline.com/t/v2.0",
            List.of("client-id"), Optional.of(new TenantId(TENANT)), Optional.empty(), "roles", "oid",
            Duration.ofMinutes(1));

    @Test
    void apiKeysAreNeverTokenShapedAndJwtsAre() {
        for (int i = 0; i < 1000; i++) {
            assertThat(OidcToken.jwtShaped(ApiKeys.generate())).isFalse();
        }
        assertThat(OidcToken.jwtShaped("brt_a.b.c")).isFalse();
        assertThat(OidcToken.jwtShaped("a.b")).isFalse();
        assertThat(OidcToken.jwtShaped("a.b.c.d")).isFalse();
        assertThat(OidcToken.jwtShaped("eyJh.eyJp.sig")).isTrue();
        assertThat(OidcToken.read("abc.def.ghi")).isEmpty();
    }

    @Test
    void aKeycloakTokenMapsItsTenantClaimNestedRolesAndSubject() throws Exception {
        var grant = TokenPrincipalMapping.map(KEYCLOAK, token(Map.of("sub", "alice", "exp", 2_000_000_000L,
                "berth", Map.of("tenant", TENANT.toString()),
                "realm_access", Map.of("roles", List.of("offline_access", "actor"))), KEYCLOAK));
        assertThat(grant.tenant()).isEqualTo(new TenantId(TENANT));
        assertThat(grant.roles()).containsExactly(Role.ACTOR);
        assertThat(grant.actorId()).isEqualTo("alice");
        assertThat(grant.subject()).isEqualTo("oidc:https://idp.example/realms/berth#alice");
        assertThat(grant.expiresAt().getEpochSecond()).isEqualTo(2_000_000_000L);
    }

    @Test
    void anEntraTokenGetsItsIssuersTenantAndItsOidAsUser() throws Exception {
        var grant = TokenPrincipalMapping.map(ENTRA, token(Map.of("oid", "o-1", "sub", "pairwise",
                "tid", "whatever", "roles", List.of("service", "developer")), ENTRA));
        assertThat(grant.tenant()).isEqualTo(new TenantId(TENANT));
        assertThat(grant.roles()).isEqualTo(Set.of(Role.SERVICE, Role.DEVELOPER));
        assertThat(grant.actorId()).isNull();
        assertThat(grant.subject()).endsWith("#o-1");
    }

    @Test
    void tokensThatGrantNothingAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TokenPrincipalMapping.map(ENTRA, token(Map.of("oid", "o", "roles", List.of("Reader")), ENTRA)))
                .hasMessageContaining("none of Berth's roles");
        assertThatThrownBy(() -> TokenPrincipalMapping.map(ENTRA, token(Map.of("oid", "o",
                "roles", List.of("actor", "admin")), ENTRA))).hasMessageContaining("no other role");
        assertThatThrownBy(() -> TokenPrincipalMapping.map(ENTRA, token(Map.of("roles", List.of("admin")), ENTRA)))
                .hasMessageContaining("'oid'");
        assertThatThrownBy(() -> TokenPrincipalMapping.map(KEYCLOAK, token(Map.of("sub", "a",
                "realm_access", Map.of("roles", List.of("admin"))), KEYCLOAK))).hasMessageContaining("no Berth tenant");
    }

    @Test
    void anIssuerWithoutAudienceOrWithBothTenantSettingsDoesNotStart() {
        assertThatThrownBy(() -> new OidcIssuer("x", "https://i", List.of(), Optional.of(new TenantId(TENANT)),
                Optional.empty(), "roles", "sub", Duration.ZERO)).hasMessageContaining("audience is required");
        assertThatThrownBy(() -> new OidcIssuer("x", "https://i", List.of("a"), Optional.of(new TenantId(TENANT)),
                Optional.of("t"), "roles", "sub", Duration.ZERO)).hasMessageContaining("not both");
    }

    private static OidcToken token(Map<String, Object> claims, OidcIssuer issuer) throws Exception {
        Map<String, Object> all = new java.util.HashMap<>(claims);
        all.put("iss", issuer.issuer());
        String header = base64(JSON.writeValueAsString(Map.of("alg", "RS256", "kid", "k")));
        return OidcToken.read(header + "." + base64(JSON.writeValueAsString(all)) + ".sig").orElseThrow();
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
