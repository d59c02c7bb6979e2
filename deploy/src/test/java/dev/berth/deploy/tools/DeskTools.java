package dev.berth.deploy.tools;

import dev.berth.tool.Tool;
import dev.berth.tool.ToolContext;
import dev.berth.tool.ToolException;
import dev.berth.tool.ToolParam;

/** Tools served by a {@link dev.berth.toolserver.BerthToolServer} that the tests start. */
public class DeskTools {

    @Tool(description = "Tells when an order ships.")
    public String lookupOrder(@ToolParam(description = "the order id, e.g. O-1") String orderId,
            ToolContext context) {
        return "Order " + orderId + " ships tomorrow. [key " + context.idempotencyKey() + ", session "
                + context.sessionId() + "]";
    }

    @Tool(description = "Cancels an order.")
    public String cancelOrder(String orderId) {
        throw new ToolException("Order " + orderId + " cannot be cancelled: it has shipped.");
    }
}
