package dev.berth.deploy.api;

import java.util.List;

/**
 * An agent's memory policy; absent fields take the defaults: {@code contextTokens} 16000,
 * {@code recallTopK} 0 (no retrieval), all three namespaces, no extraction, no expiry.
 */
public record MemoryPolicyView(Integer contextTokens, Integer recallTopK, List<String> namespaces,
        List<String> extraction, Long sessionTtlSeconds, Long memoryTtlSeconds) {
}
