package dev.berth.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * One Kubernetes object produced by rendering a kustomization, with the manifest file it was
 * read from (install order is told by that file's number).
 */
public record RenderedObject(ObjectNode object, Path source) {

    public String apiVersion() {
        return object.path("apiVersion").asText();
    }

    public String kind() {
        return object.path("kind").asText();
    }

    public String name() {
        return object.path("metadata").path("name").asText();
    }

    public String namespace() {
        return object.path("metadata").path("namespace").asText("");
    }

    /** The group of {@link #apiVersion()}: empty for the core group. */
    public String group() {
        String apiVersion = apiVersion();
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** Identity as kustomize sees it: group, kind, namespace and name. */
    public String id() {
        return group() + "/" + kind() + "/" + namespace() + "/" + name();
    }
}
