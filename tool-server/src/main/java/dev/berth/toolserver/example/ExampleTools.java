package dev.berth.toolserver.example;

import dev.berth.tool.Tool;
import dev.berth.tool.ToolContext;
import dev.berth.tool.ToolException;
import dev.berth.tool.ToolParam;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tools of the example server: a tiny, idempotent ticket desk. Thread safe. */
public class ExampleTools {

    public enum Priority { LOW, NORMAL, URGENT }

    public record Ticket(String id, String title, Priority priority) {
    }

    private final Map<String, Ticket> byIdempotencyKey = new ConcurrentHashMap<>();

    @Tool(description = "Opens a support ticket and returns it with its id.")
    public Ticket openTicket(@ToolParam(description = "one line that says what is wrong") String title,
            Priority priority, ToolContext context) {
        if (title.isBlank()) {
            throw new ToolException("The title must not be empty.");
        }
        // A call executed again (calls are at-least-once) returns the ticket it opened the first time.
        return byIdempotencyKey.computeIfAbsent(context.idempotencyKey(),
                key -> new Ticket("T-" + (byIdempotencyKey.size() + 1), title, priority));
    }

    @Tool(description = "Lists the open tickets.")
    public List<Ticket> listTickets() {
        return List.copyOf(byIdempotencyKey.values());
    }
}
