package dev.berth.runtime.testkit;

import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.RequestKey;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.port.AgentStore;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link AgentStore} in memory: immutable versions per tenant and name. Thread safe. */
public final class InMemoryAgentStore implements AgentStore {
    private final Map<String, List<AgentDefinition>> versions = new ConcurrentHashMap<>();

    private static String key(TenantId tenant, String name) {
        return tenant + "/" + name;
    }

    @Override
    public synchronized Uni<AgentDefinition> createVersion(TenantId tenant, String name, AgentSpec spec,
            Optional<RequestKey> key) {
        if (key.isPresent()) {
            throw new UnsupportedOperationException("the in-memory store keeps no idempotency keys");
        }
        List<AgentDefinition> list = versions.computeIfAbsent(key(tenant, name), k -> new ArrayList<>());
        AgentDefinition created = new AgentDefinition(tenant, name, list.size() + 1, spec, Instant.EPOCH);
        list.add(created);
        return Uni.createFrom().item(created);
    }

    @Override
    public synchronized Uni<Optional<AgentDefinition>> find(TenantId tenant, String name, Integer version) {
        List<AgentDefinition> list = versions.getOrDefault(key(tenant, name), List.of());
        Optional<AgentDefinition> found = version == null
                ? list.stream().reduce((a, b) -> b)
                : list.stream().filter(a -> a.version() == version).findFirst();
        return Uni.createFrom().item(found);
    }

    @Override
    public synchronized Uni<List<AgentDefinition>> versions(TenantId tenant, String name) {
        return Uni.createFrom().item(List.copyOf(versions.getOrDefault(key(tenant, name), List.of())));
    }

    @Override
    public synchronized Uni<List<AgentDefinition>> latestOfEach(TenantId tenant, String afterName, int limit) {
        return Uni.createFrom().item(versions.values().stream()
                .map(list -> list.get(list.size() - 1))
                .filter(a -> a.tenant().equals(tenant) && (afterName == null || a.name().compareTo(afterName) > 0))
                .sorted(Comparator.comparing(AgentDefinition::name)).limit(limit).toList());
    }
}
