package dev.berth.deploy.memory;

import static dev.berth.deploy.memory.MemoryApi.admin;
import static dev.berth.deploy.memory.MemoryApi.agentCalls;
import static dev.berth.deploy.memory.MemoryApi.extracted;
import static dev.berth.deploy.memory.MemoryApi.memories;
import static dev.berth.deploy.memory.MemoryApi.send;
import static dev.berth.deploy.memory.MemoryApi.systemText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.deploy.BerthTestResource;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long-term memory end to end: extraction after runs (durable jobs, structured output),
 * consolidation by key, retrieval into the context of later sessions of the same actor only,
 * and the memory tools.
 */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class LongTermMemoryTest {
    private static final Map<String, Object> REMEMBERING = Map.of("recallTopK", 3,
            "extraction", List.of("facts", "preferences"));

    @BeforeEach
    void resetFake() {
        MemoryApi.awaitNoLiveJobs();
        BerthTestResource.fake().reset();
    }

    @AfterEach
    void letExtractionsFinish() {
        // Extractions of this test's last runs must not take the scripted replies of the next test.
        MemoryApi.awaitNoLiveJobs();
    }

    @Test
    void aFactFromOneSessionIsRecalledInANewSessionOfTheSameActorOnly() {
        // Given an agent that extracts facts and recalls memories, and a first session where Alice says where she lives
        MemoryApi.defineAgent("rememberer", REMEMBERING);
        String first = MemoryApi.openSession("rememberer", "alice-ltm");
        BerthTestResource.fake().enqueue(FakeReply.text("Noted."),
                FakeReply.text(extracted("fact", "home_city", "The user lives in Lisbon near the river.")));
        send(first, "I live in Lisbon, near the river.");
        // the extraction job stores the fact in her namespace
        await().atMost(Duration.ofSeconds(20)).until(() -> !memories("actors/alice-ltm").isEmpty());
        Map<String, Object> fact = memories("actors/alice-ltm").getFirst();
        assertThat(fact).containsEntry("kind", "fact").containsEntry("key", "home_city")
                .containsEntry("actorId", "alice-ltm");
        assertThat(((Map<?, ?>) fact.get("source")).get("sessionId")).isEqualTo(first);

        // When Alice asks in a new session, and Bob asks the same in his
        String second = MemoryApi.openSession("rememberer", "alice-ltm");
        send(second, "Where do I live, which city near the river?");
        JsonNode aliceCall = agentCalls().getLast();
        String bobs = MemoryApi.openSession("rememberer", "bob-ltm");
        send(bobs, "Where do I live, which city near the river?");
        JsonNode bobCall = agentCalls().getLast();

        // Then Alice's context carries her fact, and Bob's does not
        assertThat(systemText(aliceCall)).contains("The user lives in Lisbon near the river.");
        assertThat(systemText(bobCall)).doesNotContain("Lisbon");
    }

    @Test
    void aChangedPreferenceReplacesTheOldOne() {
        // Given Alice's stated preference, extracted after her first turn
        MemoryApi.defineAgent("prefs", REMEMBERING);
        String session = MemoryApi.openSession("prefs", "alice-pref");
        BerthTestResource.fake().enqueue(FakeReply.text("Tea it is."),
                FakeReply.text(extracted("preference", "favourite_drink", "The user prefers tea.")));
        send(session, "I prefer tea.");
        await().atMost(Duration.ofSeconds(20)).until(() -> memories("actors/alice-pref").size() == 1);
        String id = (String) memories("actors/alice-pref").getFirst().get("id");

        // When she changes her mind in a later turn
        BerthTestResource.fake().enqueue(FakeReply.text("Coffee then."),
                FakeReply.text(extracted("preference", "favourite_drink", "The user now prefers coffee.")));
        send(session, "Actually, I now prefer coffee.");

        // Then the preference is replaced, not duplicated
        await().atMost(Duration.ofSeconds(20)).until(() -> memories("actors/alice-pref").getFirst().get("content")
                .equals("The user now prefers coffee."));
        List<Map<String, Object>> all = memories("actors/alice-pref");
        assertThat(all).hasSize(1);
        assertThat(all.getFirst()).containsEntry("id", id).containsEntry("kind", "preference");
    }

    @Test
    void theMemoryToolsRememberRecallAndPinBlocks() {
        // Given an agent with the memory tools
        MemoryApi.defineAgent("toolmem", Map.of(), "remember", "recall", "memory_block");
        String session = MemoryApi.openSession("toolmem", "frank");

        // When the model remembers a fact and pins a block through the tools
        BerthTestResource.fake().enqueue(
                FakeReply.toolCall("remember",
                        "{\"content\":\"Frank's dog is called Rex.\",\"kind\":\"fact\",\"key\":\"dog_name\"}"),
                FakeReply.toolCall("memory_block", "{\"label\":\"profile\",\"content\":\"Frank, dog owner\"}"),
                FakeReply.text("Got it."));
        send(session, "My dog is called Rex.");

        // Then the memory and the block are stored in Frank's namespace
        assertThat(memories("actors/frank")).extracting(m -> m.get("content"))
                .containsExactly("Frank's dog is called Rex.");
        List<Map<String, Object>> blocks = admin().get("/v1/memory-blocks?namespace=actors/frank").then()
                .statusCode(200).extract().path("$");
        assertThat(blocks).extracting(b -> b.get("content")).containsExactly("Frank, dog owner");

        // and in a new session the block is pinned in the context and recall finds the fact
        String next = MemoryApi.openSession("toolmem", "frank");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("recall", "{\"query\":\"dog name\"}"),
                FakeReply.text("Rex."));
        send(next, "What is my dog called?");
        JsonNode afterRecall = agentCalls().getLast();
        assertThat(systemText(afterRecall)).contains("Frank, dog owner");
        JsonNode lastMessage = afterRecall.get("messages").get(afterRecall.get("messages").size() - 1);
        assertThat(lastMessage.get("role").asText()).isEqualTo("tool");
        assertThat(lastMessage.get("content").asText()).contains("Frank's dog is called Rex.");
    }
}
