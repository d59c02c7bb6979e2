package dev.berth.deploy.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.deploy.BerthTestResource;
import dev.berth.runtime.domain.ApiKeyInfo;
import dev.berth.runtime.domain.NewApiKey;
import dev.berth.runtime.domain.Revocation;
import dev.berth.runtime.domain.Role;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.AccessStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two revocations racing for a tenant's last two admin keys, through the store every process
 * uses, against real PostgreSQL: in every round exactly one wins and the other is refused as the
 * last admin key, so a tenant is never left without one.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class LastAdminRaceTest {
    private static final int ROUNDS = 25;

    @Inject
    AccessStore access;

    @Test
    void ofTwoRevocationsRacingForTheLastTwoAdminKeysExactlyOneWins() {
        List<String> rounds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            // Given a tenant with exactly two admin keys, its first and one more (and a service key, which does not count)
            ApiKeyInfo created = access.createTenant("race-" + round, hash(), null, Optional.empty())
                    .await().atMost(Duration.ofSeconds(10));
            TenantId tenant = created.tenant();
            UUID first = created.id();
            UUID second = key(tenant, Role.ADMIN);
            key(tenant, Role.SERVICE);

            // When both are revoked at once
            List<Revocation> outcomes = Uni.combine().all()
                    .unis(access.revokeKey(tenant, first), access.revokeKey(tenant, second))
                    .with(Revocation.class, list -> list).await().atMost(Duration.ofSeconds(10));

            // Then one is revoked and the other refused as the last admin key
            rounds.add(outcomes.toString());
            assertThat(outcomes).as("round %d", round)
                    .containsExactlyInAnyOrder(Revocation.REVOKED, Revocation.LAST_ADMIN);
        }
        System.out.println("last admin race: " + ROUNDS + " rounds, outcomes " + rounds);
    }

    private UUID key(TenantId tenant, Role role) {
        UUID id = UUID.randomUUID();
        access.createKey(new NewApiKey(id, tenant, role.wire(), Set.of(role), null, null, hash()), Optional.empty())
                .await().atMost(Duration.ofSeconds(10));
        return id;
    }

    private static byte[] hash() {
        byte[] hash = new byte[32];
        new java.security.SecureRandom().nextBytes(hash);
        return hash;
    }
}
