package dev.berth.deploy.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies are read as strict JSON (docs/adr/0016): one value and nothing after it, no key
 * twice, no fraction where an integer belongs, and only well-formed UTF-8, so that what Berth
 * stores is exactly what the client meant (a number is a JSON number, not a string that looks like one) and no two parsers can read a body differently. Anything
 * else is a 400 problem before a resource runs.
 *
 * <p>This is the application's own mapper (REST bodies in and out); the model client, the engine
 * and the MCP tools keep mappers of their own and are not affected.
 */
@Singleton
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        // "{...}xyz" and "{...}{...}" were read as the first value, the rest ignored.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // {"text":"a","text":"b"} was a 500 (a record's creator cannot take a key twice), elsewhere read as "b".
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // 1.5 for an integer was silently truncated to 1.
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // A string for a number or boolean was parsed, and "" or a lone NUL (trimmed away) read as absent.
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        // Malformed UTF-8 (overlong forms, encoded surrogates) is refused; Jackson decoded it.
        mapper.getFactory().setInputDecorator(new WellFormedUtf8Input());
    }
}
