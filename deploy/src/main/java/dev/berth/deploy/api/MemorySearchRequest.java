package dev.berth.deploy.api;

import java.util.List;

/** Body of {@code POST /v1/memories/search}: one {@code namespace} or several {@code namespaces}. */
public record MemorySearchRequest(String namespace, List<String> namespaces, String query, Integer topK) {
}
