package dev.berth.k8s;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates custom resources (KEDA, CloudNativePG, Prometheus Operator) against JSON schemas
 * written for this module from each project's CRD reference, in
 * {@code src/test/resources/schemas/<group>_<version>_<Kind>.json}. They cover the fields
 * Berth's manifests use and refuse any other (additionalProperties false), so a typo or a
 * misplaced field fails; they are not a full copy of the upstream CRDs.
 */
final class CustomResourceSchemas {

    private CustomResourceSchemas() {
    }

    static List<String> violations(RenderedObject object) {
        String version = object.apiVersion().substring(object.apiVersion().indexOf('/') + 1);
        String resource = "/schemas/" + object.group() + "_" + version + "_" + object.kind() + ".json";
        JsonObject schema;
        try (InputStream in = CustomResourceSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                return List.of("no schema for " + object.apiVersion() + " " + object.kind() + " (" + resource + ")");
            }
            schema = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Validator validator = Validator.create(JsonSchema.of(schema), new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012)
                .setBaseUri("https://schemas.berth.invalid/")
                .setOutputFormat(OutputFormat.Basic));
        OutputUnit result = validator.validate(new JsonObject(object.object().toString()));
        List<String> violations = new ArrayList<>();
        if (!result.getValid()) {
            if (result.getErrors() == null || result.getErrors().isEmpty()) {
                violations.add(result.getInstanceLocation() + ": " + result.getError());
            } else {
                result.getErrors().forEach(e -> violations.add(e.getInstanceLocation() + ": " + e.getError()));
            }
        }
        return violations;
    }
}
