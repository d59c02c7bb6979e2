package dev.berth.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ToolDefinition;
import dev.berth.runtime.cpu.CpuWork;
import dev.berth.runtime.domain.AgentDefinition;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.ClientTool;
import dev.berth.runtime.domain.Event;
import dev.berth.runtime.domain.EventType;
import dev.berth.runtime.domain.TenantId;
import dev.berth.runtime.internal.DocumentJson;
import dev.berth.runtime.tools.ToolRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Context assembly with large client-tool schemas: counted once per agent version, off the caller's thread. */
class ContextAssemblerCpuTest {
    private static final UUID SESSION = UUID.randomUUID();
    private static final int INLINE_BELOW = 16_384;
    private final CpuWork cpu = new CpuWork(2, 0.5, 16, INLINE_BELOW);
    private final ContextAssembler assembler = new ContextAssembler(new ToolRegistry(List.of()), cpu);

    @AfterEach
    void close() {
        cpu.close();
    }

    @Test
    void theFirstStepOfAVersionWithLargeSchemasIsCountedOnThePoolAndLaterStepsInline() {
        // Given an agent version with 10 client tools of about 20,000 characters each, and a short chat
        AgentDefinition agent = agent(1, 10, 20_000);
        StepContext context = new StepContext(null, List.of(user(1, "hello there, how are you today?")), List.of(),
                List.of());
        assertThat(assembler.uncountedChars(agent, context)).isGreaterThanOrEqualTo(INLINE_BELOW);

        // When its first step is assembled, and then its second
        String first = assembler.offLoop(agent, context, () -> {
            assembler.assemble(agent, context);
            return Thread.currentThread().getName();
        }).await().atMost(Duration.ofSeconds(30));
        String second = assembler.offLoop(agent, context, () -> Thread.currentThread().getName())
                .await().atMost(Duration.ofSeconds(30));

        // Then the first ran on the CPU pool; the second, with the schemas counted, on the caller's thread
        assertThat(first).startsWith("berth-cpu-");
        assertThat(second).isEqualTo(Thread.currentThread().getName());
        assertThat(assembler.uncountedChars(agent, context)).isLessThan(INLINE_BELOW);
    }

    @Test
    void theSchemasAreCountedAndSentAsDefinedAndEveryStepSeesTheSameCount() {
        // Given an agent with two client tools
        AgentDefinition agent = agent(1, 2, 2_000);
        StepContext context = new StepContext(null, List.of(user(1, "hi")), List.of(), List.of());

        // When two steps are assembled
        ContextAssembler.Assembled first = assembler.assemble(agent, context);
        ContextAssembler.Assembled second = assembler.assemble(agent, context);

        // Then both send the tools as defined, not strict, and count the same tokens, which include the schemas
        List<ToolDefinition> tools = first.request().tools();
        assertThat(tools).extracting(ToolDefinition::name).containsExactly("form_0", "form_1");
        assertThat(tools.getFirst().parameters()).isEqualTo(agent.spec().clientTools().getFirst().parameters());
        assertThat(tools).noneMatch(ToolDefinition::strict);
        assertThat(second.inputTokens()).isEqualTo(first.inputTokens()).isGreaterThan(2 * 2_000 / 8);
    }

    @Test
    void aSchemaWrittenOnceForTheVersionIsWrittenIntoEveryRequestAsDefined() {
        // Given an agent with a client tool, assembled once
        AgentDefinition agent = agent(1, 1, 3_000);
        ObjectNode defined = agent.spec().clientTools().getFirst().parameters();
        ToolDefinition sent = assembler.assemble(agent, new StepContext(null, List.of(user(1, "hi")), List.of(),
                List.of())).request().tools().getFirst();

        // When a request holding it is written as JSON, as the model client does
        ObjectNode request = DocumentJson.object();
        request.putArray("tools").addObject().set("parameters", sent.parameters());
        String written = DocumentJson.write(request);

        // Then the schema reads back exactly as defined
        assertThat(DocumentJson.readObject(written).path("tools").get(0).get("parameters")).isEqualTo(defined);
    }

    @Test
    void aNewVersionIsCountedAfreshNotTakenFromTheOldOne() {
        // Given version 1 of an agent, counted, and version 2 with larger schemas
        AgentDefinition v1 = agent(1, 2, 1_000);
        AgentDefinition v2 = new AgentDefinition(v1.tenant(), v1.name(), 2, agent(2, 2, 8_000).spec(), Instant.now());
        StepContext context = new StepContext(null, List.of(user(1, "hi")), List.of(), List.of());
        int tokensOfV1 = assembler.assemble(v1, context).inputTokens();

        // When version 2 is assembled
        int tokensOfV2 = assembler.assemble(v2, context).inputTokens();

        // Then its own schemas were counted
        assertThat(tokensOfV2).isGreaterThan(tokensOfV1 + 2 * 6_000 / 8);
    }

    private static AgentDefinition agent(int version, int tools, int schemaChars) {
        List<ClientTool> clientTools = new ArrayList<>();
        for (int t = 0; t < tools; t++) {
            clientTools.add(new ClientTool("form_" + t, "Fills in form " + t, schema(t, schemaChars)));
        }
        AgentSpec spec = new AgentSpec("Be brief.", "gpt-4o", List.of(), null, null, clientTools, List.of(), List.of(),
                List.of(), null);
        return new AgentDefinition(new TenantId(UUID.randomUUID()), "forms", version, spec, Instant.now());
    }

    /** A schema of about {@code chars} characters: properties with varied descriptions. */
    private static ObjectNode schema(int seed, int chars) {
        ObjectNode schema = DocumentJson.object().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        java.util.Random random = new java.util.Random(seed);
        for (int p = 0; properties.toString().length() < chars; p++) {
            StringBuilder description = new StringBuilder();
            for (int w = 0; w < 40; w++) {
                description.append("word").append(random.nextInt(10_000)).append(' ');
            }
            properties.putObject("field_" + p).put("type", "string").put("description", description.toString());
        }
        return schema;
    }

    private static Event user(long seq, String text) {
        return new Event(SESSION, seq, null, EventType.USER_MESSAGE, DocumentJson.object().put("text", text), Instant.now());
    }
}
