package dev.berth.runtime.domain;

import java.util.UUID;

/** Who a request acts as: the tenant of its API key, and what the key may do. */
public record ApiPrincipal(TenantId tenant, UUID keyId, boolean admin, boolean operator) {
}
