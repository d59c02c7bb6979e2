package dev.berth.deploy;

import static dev.berth.deploy.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.fake.FakeReply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A first durable agent turn, end to end through the HTTP API, against the fake model over HTTP. */
@QuarkusTest
@QuarkusTestResource(value = BerthTestResource.class, restrictToAnnotatedClass = false)
class AgentTurnTest {

    @TestHTTPResource
    URL base;

    @BeforeEach
    void resetFake() {
        BerthTestResource.fake().reset();
    }

    @Test
    void aToolCallRoundTripCommitsEveryStepInOrder() throws Exception {
        // Given an agent with a tool, a session, and a model that will ask for the tool and then answer
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "clock", "current_time");
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "clock", "alice");
        BerthTestResource.fake().enqueue(
                FakeReply.toolCall("current_time", "{\"timeZone\":\"Europe/Paris\"}"),
                FakeReply.text("It is lunch time in Paris."));

        // When a message is sent and its run awaited
        Api.send(BerthTestResource.ADMIN_KEY, session, "What time is it in Paris?", 20)
                .statusCode(200)
                .body("status", equalTo("completed"))
                .body("output", equalTo("It is lunch time in Paris."))
                .body("modelCalls", equalTo(2));

        // Then the events are the four steps, in order, numbered without gaps
        List<JsonNode> events = events(session);
        assertThat(events).extracting(e -> e.get("type").asText())
                .containsExactly("user.message", "assistant.message", "tool.result", "assistant.message");
        assertThat(events).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L);
        JsonNode toolResult = events.get(2).get("data");
        assertThat(toolResult.get("error").asBoolean()).isFalse();
        assertThat(toolResult.get("output").asText()).contains("Europe/Paris");
        assertThat(toolResult.get("retry").asBoolean()).isFalse();
        // and the model saw the tool's output in its second, stateless call
        List<JsonNode> requests = BerthTestResource.fake().requests();
        assertThat(requests).hasSize(2);
        JsonNode lastMessage = requests.get(1).get("messages").get(requests.get(1).get("messages").size() - 1);
        assertThat(lastMessage.get("role").asText()).isEqualTo("tool");
        assertThat(lastMessage.get("content").asText()).contains("Europe/Paris");
        assertThat(requests.get(0).get("tools").get(0).get("function").get("name").asText()).isEqualTo("current_time");
    }

    @Test
    void theStreamReplaysCommittedEventsAfterLastEventId() throws Exception {
        // Given a session with a completed turn (four events)
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "streamer", "current_time");
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "streamer", "bob");
        BerthTestResource.fake().enqueue(FakeReply.toolCall("current_time", "{\"timeZone\":\"UTC\"}"),
                FakeReply.text("Done."));
        Api.send(BerthTestResource.ADMIN_KEY, session, "time please", 20).statusCode(200);

        // When a client resumes the stream after event 2
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        HttpURLConnection connection = (HttpURLConnection) new URL(base, "/v1/sessions/" + session + "/stream")
                .openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY);
        connection.setRequestProperty("Accept", "text/event-stream");
        connection.setRequestProperty("Last-Event-ID", "2");
        connection.setReadTimeout(10_000);
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((ids.size() < 2 || names.size() < 2) && (line = reader.readLine()) != null) {
                if (!line.startsWith(":")) {
                    fields.add(line.contains(":") ? line.substring(0, line.indexOf(':')) : line);
                }
                if (line.startsWith("id:")) {
                    ids.add(line.substring(3).trim());
                } else if (line.startsWith("event:")) {
                    names.add(line.substring(6).trim());
                }
            }
        } finally {
            connection.disconnect();
        }

        // Then it gets exactly the events after 2, in order, with their sequences as ids
        assertThat(connection.getContentType()).startsWith("text/event-stream");
        assertThat(ids).containsExactly("3", "4");
        assertThat(names).containsExactly("tool.result", "assistant.message");
        assertThat(fields).as("only standard SSE fields").allMatch(f -> List.of("id", "event", "data", "").contains(f));
    }

    @Test
    void aNewMessageIsStreamedToAClientAlreadyListening() throws Exception {
        // Given a client following a fresh session's stream
        Api.defineAgent(BerthTestResource.ADMIN_KEY, "echo");
        String session = Api.openSession(BerthTestResource.ADMIN_KEY, "echo", "carol");
        HttpURLConnection connection = (HttpURLConnection) new URL(base, "/v1/sessions/" + session + "/stream")
                .openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + BerthTestResource.ADMIN_KEY);
        connection.setReadTimeout(15_000);
        BerthTestResource.fake().enqueue(FakeReply.text("Hello Carol."));

        // When a message is sent after the stream opened
        List<String> data = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            Api.send(BerthTestResource.ADMIN_KEY, session, "Hi", 0).statusCode(202);
            String line;
            String name = null;
            while (data.size() < 2 && (line = reader.readLine()) != null) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:") && !"assistant.delta".equals(name)) {
                    // Previews of the answer (best effort, more of them on a slow machine) are not committed events.
                    data.add(line.substring(5).trim());
                }
            }
        } finally {
            connection.disconnect();
        }

        // Then both the input and the answer arrive, as they are committed
        assertThat(data.get(0)).contains("\"user.message\"").contains("Hi");
        assertThat(data.get(1)).contains("\"assistant.message\"").contains("Hello Carol.");
    }

    private static List<JsonNode> events(String session) throws Exception {
        String body = admin().get("/v1/sessions/" + session + "/events").then().statusCode(200).extract().asString();
        JsonNode items = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("items");
        List<JsonNode> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }
}
