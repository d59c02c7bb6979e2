package dev.berth.model.internal;

import dev.berth.model.config.Deployment;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds the URL of an operation ({@code chat/completions}, {@code responses}, {@code embeddings}) per flavour. */
public final class Routes {
    private Routes() {
    }

    public static String url(Deployment d, String operation) {
        String base = stripSlash(d.baseUrl().toString());
        return switch (d.flavour()) {
            case AZURE_V1 -> base + "/" + operation + (d.apiVersion() == null ? "" : "?api-version=" + enc(d.apiVersion()));
            case OPENAI -> base + "/" + operation;
            case AZURE_CLASSIC -> {
                // accept the endpoint with or without the /openai suffix people copy from the portal
                String endpoint = base.endsWith("/openai") ? base.substring(0, base.length() - 7) : base;
                if (operation.equals("responses")) {
                    // the Responses API has no deployment route: the deployment travels as "model"
                    yield endpoint + "/openai/responses?api-version=" + enc(d.apiVersion());
                }
                yield endpoint + "/openai/deployments/" + enc(d.deployment()) + "/" + operation + "?api-version="
                        + enc(d.apiVersion());
            }
        };
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
