package dev.berth.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** kustomize's {@code images} transformer for the containers of built-in workloads. */
final class Images {

    private Images() {
    }

    static void apply(JsonNode entry, List<RenderedObject> objects) {
        Kustomize.expectOnly(entry, Set.of("name", "newName", "newTag", "digest"), "images");
        String name = entry.path("name").asText();
        for (RenderedObject object : objects) {
            if (!Kustomize.isWorkload(object)) {
                continue;
            }
            JsonNode podSpec = object.object().path("spec").path("template").path("spec");
            for (String field : List.of("initContainers", "containers")) {
                for (JsonNode container : podSpec.path(field)) {
                    String image = container.path("image").asText();
                    if (repository(image).equals(name)) {
                        ((ObjectNode) container).put("image", rewrite(image, entry));
                    }
                }
            }
        }
    }

    /** The image reference without its tag and digest. */
    static String repository(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    private static String rewrite(String image, JsonNode entry) {
        String repository = entry.hasNonNull("newName") ? entry.get("newName").asText() : repository(image);
        if (entry.hasNonNull("digest")) {
            return repository + "@" + entry.get("digest").asText();
        }
        if (entry.hasNonNull("newTag")) {
            return repository + ":" + entry.get("newTag").asText();
        }
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        return repository + withoutDigest.substring(repository(image).length());
    }
}
