package dev.berth.deploy.input;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.input.StorableText;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;

/**
 * Every request body, once read, is walked whole (nested metadata, tool schemas, keys
 * included): a string PostgreSQL cannot store (NUL, an unpaired surrogate) or nesting deeper
 * than the limit is a 400 naming its path, before any resource method sees the body. One
 * place for all routes, so a new route is covered without doing anything.
 */
@Provider
public class StorableBodies implements ReaderInterceptor {
    private final ObjectMapper json;

    @Inject
    public StorableBodies(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (!(body instanceof byte[])) {
            check(json, body);
        }
        return body;
    }

    /**
     * Checks a body bound outside the framework's readers too (routes that take the raw bytes and
     * bind them off the event loop, see {@code OffLoopJson}): the same rule, the same problem.
     */
    public static void check(ObjectMapper json, Object body) {
        if (body != null) {
            // The body as the client sent it, in the wire's field names (the request types are plain records).
            StorableText.checkJson("", json.valueToTree(body));
        }
    }
}
