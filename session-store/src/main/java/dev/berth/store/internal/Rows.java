package dev.berth.store.internal;

import dev.berth.model.Usage;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.run.Run;
import dev.berth.runtime.run.RunError;
import dev.berth.runtime.run.RunOptions;
import dev.berth.runtime.run.RunStatus;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** Row to domain mapping for the tables the pg client reads. */
public final class Rows {
    private static final String[] RUN_COLUMN_NAMES = {"id", "tenant_id", "session_id", "input_seq", "status", "step",
        "model_calls", "agent_name", "agent_version", "input_tokens", "output_tokens", "cached_tokens",
        "reasoning_tokens", "output", "created_at", "started_at", "finished_at"};

    /** The columns of {@code runs} that {@link #run(Row)} reads, qualified by a table alias. */
    public static String runColumns(String alias) {
        StringBuilder columns = new StringBuilder();
        for (String name : RUN_COLUMN_NAMES) {
            columns.append(alias).append('.').append(name).append(", ");
        }
        return columns.append(alias).append(".error::text as error, ").append(alias).append(".options::text as options")
                .toString();
    }

    private Rows() {
    }

    public static Run run(Row row) {
        String error = row.getString("error");
        RunError runError = null;
        if (error != null) {
            var node = DocumentJson.readObject(error);
            runError = new RunError(node.path("code").asText(), node.path("message").asText());
        }
        return new Run(row.getUUID("id"), new TenantId(row.getUUID("tenant_id")), row.getUUID("session_id"),
                row.getLong("input_seq"), RunStatus.fromWire(row.getString("status")), row.getInteger("step"),
                row.getInteger("model_calls"), row.getString("agent_name"), row.getInteger("agent_version"),
                new Usage(row.getLong("input_tokens"), row.getLong("output_tokens"), row.getLong("cached_tokens"),
                        row.getLong("reasoning_tokens")),
                row.getString("output"), runError, instant(row, "created_at"), instant(row, "started_at"),
                instant(row, "finished_at"), RunOptions.fromJson(row.getString("options")));
    }

    public static Event event(Row row) {
        return new Event(row.getUUID("session_id"), row.getLong("seq"), row.getUUID("run_id"), row.getString("type"),
                DocumentJson.readObject(row.getString("payload")), instant(row, "created_at"));
    }

    public static Map<String, Integer> attempts(String json) {
        Map<String, Integer> attempts = new LinkedHashMap<>();
        DocumentJson.readObject(json).fields().forEachRemaining(e -> attempts.put(e.getKey(), e.getValue().asInt()));
        return attempts;
    }

    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
