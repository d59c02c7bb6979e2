package dev.berth.deploy.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * {@code Location} headers are relative references ({@code /v1/sessions/{id}}, RFC 9110 §10.2.2).
 * JAX-RS's {@code Response.created(URI)} and {@code location(URI)} make a relative URI absolute
 * from the request's {@code Host} header, which the client chooses: a forged host would come back
 * as a link to someone else's server. The header is set as text here, so it is never resolved.
 */
final class Locations {
    private Locations() {
    }

    /** A 201 whose {@code Location} is {@code path}. */
    static Response.ResponseBuilder created(String path) {
        return at(Response.status(Response.Status.CREATED), path);
    }

    /** {@code response} with its {@code Location} set to {@code path}. */
    static Response.ResponseBuilder at(Response.ResponseBuilder response, String path) {
        return response.header(HttpHeaders.LOCATION, path);
    }
}
