package dev.berth.deploy.tenancy;

import dev.berth.deploy.BerthTestResource;
import dev.berth.deploy.fuzz.TenantObjects;
import dev.berth.runtime.domain.Role;
import dev.berth.testsupport.oidc.TestIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Typed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The role matrix again, every route and every role, with OIDC tokens of the test issuer (ADR 0030)
 * instead of API keys: a token of a role gets exactly the answers a key of that role gets, an actor
 * token of another subject gets 404 for the fixture's objects, and refusals write nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
// Test classes are beans: typed as itself only, so that RoleMatrixTest's instance stays unambiguous.
@Typed(OidcRoleMatrixTest.class)
class OidcRoleMatrixTest extends RoleMatrixTest {

    @Override
    protected Map<String, String> credentials(TenantObjects objects, String owner, String otherActor) {
        TestIssuer issuer = BerthTestResource.issuer();
        Map<String, String> tokens = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            if (role != Role.ACTOR) {
                tokens.put(role.wire(), token(issuer, objects, "user-" + role.wire(), role));
            }
        }
        tokens.put("actor", token(issuer, objects, owner, Role.ACTOR));
        tokens.put("other-actor", token(issuer, objects, otherActor, Role.ACTOR));
        return tokens;
    }

    private static String token(TestIssuer issuer, TenantObjects objects, String subject, Role role) {
        // Valid for the whole matrix (it calls hundreds of routes), and the user is the token's subject.
        long now = System.currentTimeMillis() / 1000;
        return issuer.sign(Map.of("aud", BerthTestResource.AUDIENCE, BerthTestResource.TENANT_CLAIM,
                objects.tenant().toString(), "sub", subject, "roles", List.of(role.wire()), "exp", now + 3600));
    }
}
