package dev.berth.deploy.rest;

import dev.berth.runtime.error.NotFoundException;
import java.util.UUID;

/** Path ids: a malformed id names nothing, so it is a 404 like any unknown id. */
final class Ids {
    private Ids() {
    }

    static UUID parse(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException(what, id);
        }
    }
}
