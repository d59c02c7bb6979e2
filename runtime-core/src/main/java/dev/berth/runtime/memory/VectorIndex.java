package dev.berth.runtime.memory;

import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.memory.MemoryStore;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Top-k retrieval over a namespace's embeddings, ranked in the process. pgvector is not assumed,
 * so each process caches the vectors of the namespaces it reads; the cache is checked against
 * the namespace's change counter (one indexed row) on every query and reloaded, records and
 * vectors, when a change happened anywhere. A query is then one tiny read plus a scan of float
 * arrays (10,000 x 1,536 floats in a few milliseconds).
 *
 * <p>Score: {@code (1 - w) * cosine + w * 0.5^(age / halfLife)}: similarity first, with newer
 * memories preferred among similar ones. Thread safe; the cache is bounded by namespaces (LRU).
 */
public final class VectorIndex {
    private final MemoryStore store;
    private final double recencyWeight;
    private final Duration halfLife;
    private final Map<String, NamespaceVectors> cache;

    public VectorIndex(MemoryStore store, double recencyWeight, Duration halfLife, int maxNamespaces) {
        this.store = store;
        this.recencyWeight = recencyWeight;
        this.halfLife = halfLife;
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, NamespaceVectors> eldest) {
                return size() > maxNamespaces;
            }
        });
    }

    /** A scored hit. */
    public record Hit(MemoryRecord record, double score, double similarity) {
    }

    /** The best {@code k} live memories of the namespaces for the query vector, best first. */
    public Uni<List<Hit>> search(TenantId tenant, List<String> namespaces, float[] query, int k, Instant now) {
        List<Uni<NamespaceVectors>> loads = namespaces.stream().map(ns -> current(tenant, ns)).toList();
        if (loads.isEmpty() || k <= 0) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(loads).andFailFast().map(all -> rank(all, query, k, now));
    }

    private Uni<NamespaceVectors> current(TenantId tenant, String namespace) {
        String key = tenant + "|" + namespace;
        return store.version(tenant, namespace).chain(version -> {
            NamespaceVectors cached = cache.get(key);
            if (cached != null && cached.version() == version) {
                return Uni.createFrom().item(cached);
            }
            return store.vectors(tenant, namespace).invoke(loaded -> cache.put(key, loaded));
        });
    }

    private List<Hit> rank(List<NamespaceVectors> all, float[] query, int k, Instant now) {
        double queryNorm = Math.sqrt(dot(query, query));
        PriorityQueue<Hit> best = new PriorityQueue<>(k + 1, (a, b) -> Double.compare(a.score(), b.score()));
        for (NamespaceVectors ns : all) {
            for (int i = 0; i < ns.records().size(); i++) {
                MemoryRecord record = ns.records().get(i);
                Instant expires = record.expiresAt();
                if (expires != null && !expires.isAfter(now)) {
                    continue;
                }
                float[] v = ns.vectors().get(i);
                if (v.length != query.length) {
                    continue; // stored with another embedding model or size: not comparable
                }
                double similarity = dot(query, v) / (queryNorm * Math.sqrt(dot(v, v)) + 1e-12);
                double score = (1 - recencyWeight) * similarity + recencyWeight * recency(record.updatedAt(), now);
                if (best.size() < k) {
                    best.add(new Hit(record, score, similarity));
                } else if (score > best.peek().score()) {
                    best.poll();
                    best.add(new Hit(record, score, similarity));
                }
            }
        }
        List<Hit> out = new ArrayList<>(best);
        out.sort((a, b) -> Double.compare(b.score(), a.score()));
        return out;
    }

    private double recency(Instant updated, Instant now) {
        double age = Math.max(0, Duration.between(updated, now).toMillis());
        return Math.pow(0.5, age / Math.max(1, halfLife.toMillis()));
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
