package dev.berth.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.model.ResponseFormat;
import dev.berth.model.ToolChoice;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentLimits;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.domain.InputPolicy;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.internal.DocumentJson;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules of {@link RunOptions}: how they change the agent a run uses, their stored form, their checks. */
class RunOptionsTest {
    private static final ClientTool AGENTS_TOOL = new ClientTool("get_location", "", DocumentJson.object().put("type", "object"));
    private static final ClientTool RUNS_TOOL = new ClientTool("get_weather", "The weather", DocumentJson.object().put("type", "object"));
    private static final AgentDefinition AGENT = new AgentDefinition(new TenantId(UUID.randomUUID()), "a", 3,
            new AgentSpec("Be kind.", "m", List.of(), new AgentLimits(10, 500, Duration.ofMinutes(1)),
                    InputPolicy.ENQUEUE, List.of(AGENTS_TOOL), List.of(), List.of(), List.of(), null), Instant.now());

    @Test
    void theRunsInstructionsToolsAndAnswerLimitComeAfterAndWithinTheAgents() {
        RunOptions options = new RunOptions("Answer in French.", List.of(RUNS_TOOL), null, null, 64, null, null, null);

        AgentDefinition used = options.applyTo(AGENT);

        assertThat(used.spec().instructions()).isEqualTo("Be kind.\n\nAnswer in French.");
        assertThat(used.spec().clientTools()).containsExactly(AGENTS_TOOL, RUNS_TOOL);
        assertThat(used.spec().limits().maxCompletionTokens()).isEqualTo(64);
        // the agent's own limit holds when it is the smaller
        assertThat(new RunOptions(null, null, null, null, 4000, null, null, null).applyTo(AGENT)
                .spec().limits().maxCompletionTokens()).isEqualTo(500);
        // and a run without options uses its agent as it is
        assertThat(RunOptions.NONE.applyTo(AGENT)).isSameAs(AGENT);
    }

    @Test
    void aForcedToolChoiceHoldsForTheRunsFirstModelCallOnly() {
        RunOptions forced = new RunOptions(null, List.of(RUNS_TOOL), new ToolChoice.Function("get_weather"), null, null,
                null, null, null);

        assertThat(forced.toolChoiceAt(0)).isEqualTo(new ToolChoice.Function("get_weather"));
        assertThat(forced.toolChoiceAt(1)).isEqualTo(ToolChoice.AUTO);
        assertThat(new RunOptions(null, null, ToolChoice.NONE, null, null, null, null, null).toolChoiceAt(2))
                .isEqualTo(ToolChoice.NONE);
        assertThat(RunOptions.NONE.toolChoiceAt(0)).isNull();
    }

    @Test
    void theStoredFormReadsBackEqual() {
        RunOptions options = new RunOptions("x", List.of(RUNS_TOOL), ToolChoice.REQUIRED, true, 20, 0.5,
                new ResponseFormat("f", DocumentJson.object().put("type", "object"), true), Map.of("k", "v"));

        assertThat(RunOptions.fromJson(options.toJson())).isEqualTo(options);
        RunOptions jsonMode = new RunOptions(null, null, null, null, null, null, RunOptions.JSON_OBJECT, null);
        assertThat(RunOptions.fromJson(jsonMode.toJson())).isEqualTo(jsonMode);
        assertThat(RunOptions.NONE.toJson()).isNull();
        assertThat(RunOptions.fromJson(null)).isEqualTo(RunOptions.NONE);
    }

    @Test
    void badOptionsAreRefusedNamingTheCallersField() {
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i <= RunOptions.MAX_METADATA_PAIRS; i++) {
            tooMany.put("k" + i, "v");
        }
        Map<String, RunOptions> bad = Map.of(
                "metadata", new RunOptions(null, null, null, null, null, null, null, tooMany),
                "metadata.k", new RunOptions(null, null, null, null, null, null, null, Map.of("k", "v".repeat(513))),
                "tool_choice", new RunOptions(null, null, new ToolChoice.Function("nope"), null, null, null, null, null),
                "temperature", new RunOptions(null, null, null, null, null, 2.5, null, null),
                "tools[0].parameters", new RunOptions(null, List.of(new ClientTool("t", "", DocumentJson.object()
                        .put("type", "string"))), null, null, null, null, null, null));
        bad.forEach((field, options) -> {
            ValidationException refused = catchThrowableOfType(ValidationException.class,
                    () -> options.validated(Map.of("clientTools", "tools", "toolChoice", "tool_choice")));
            assertThat(refused).as(field).isNotNull();
            assertThat(refused.fieldErrors()).as(field).containsKey(field);
        });
    }
}
