package dev.berth.deploy.error;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses request bodies over the documented limit ({@code berth.api.max-body-bytes}) with a
 * 413 problem before anything is read or written.
 */
public class BodySizeFilter {
    private final long maxBytes;

    public BodySizeFilter(@ConfigProperty(name = "berth.api.max-body-bytes", defaultValue = "1048576") long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @ServerRequestFilter(preMatching = true)
    public Response limit(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return null;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Problems.response(400, "bad-request", "Bad Request", "Content-Length is not a number", null).build();
        }
        if (bytes > maxBytes) {
            return Problems.response(413, "payload-too-large", "Payload Too Large",
                    "the request body is " + bytes + " bytes; the limit is " + maxBytes, null).build();
        }
        return null;
    }
}
