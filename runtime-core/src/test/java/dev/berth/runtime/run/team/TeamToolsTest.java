package dev.berth.runtime.run.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.ToolDefinition;
import dev.berth.runtime.domain.AgentLimits;
import dev.berth.runtime.domain.AgentSpec;
import dev.berth.runtime.domain.InputPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeamToolsTest {
    private static final AgentSpec SUPERVISOR = new AgentSpec("plan", "m", List.of(), AgentLimits.DEFAULT,
            InputPolicy.ENQUEUE, List.of(), List.of(), List.of("research.v2", "writer"), List.of("billing"), null);

    @Test
    void subAgentsAndHandoffsBecomeToolsWithValidNames() {
        List<ToolDefinition> tools = TeamTools.definitions(SUPERVISOR);

        assertThat(tools).extracting(ToolDefinition::name)
                .containsExactly("agent__research_v2", "agent__writer", "handoff__billing");
        assertThat(tools.getFirst().parameters().at("/required/0").asText()).isEqualTo("input");
        assertThat(tools.getLast().parameters().path("properties").isEmpty()).isTrue();
    }

    @Test
    void aToolNameResolvesOnlyToAMemberOfThisAgentsTeam() {
        assertThat(TeamTools.resolve(SUPERVISOR, "agent__research_v2"))
                .contains(new TeamTools.SubAgentCall("research.v2"));
        assertThat(TeamTools.resolve(SUPERVISOR, "handoff__billing")).contains(new TeamTools.HandoffCall("billing"));
        assertThat(TeamTools.resolve(SUPERVISOR, "agent__billing")).isEmpty();
        assertThat(TeamTools.resolve(SUPERVISOR, "current_time")).isEmpty();
    }

    @Test
    void theInputIsTheInputArgumentOrElseWhatTheModelWrote() {
        assertThat(TeamTools.input("{\"input\":\"find otters\"}")).isEqualTo("find otters");
        assertThat(TeamTools.input("{\"task\":\"x\"}")).isEqualTo("{\"task\":\"x\"}");
        assertThat(TeamTools.input("not json")).isEqualTo("not json");
        assertThat(TeamTools.input("")).isEqualTo("(no input)");
    }
}
