package dev.berth.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Keeps the example of the module README true: same declarations, same schema. */
class ReadmeExampleTest {

    public static class ShopTools {

        public enum Shipping { STANDARD, EXPRESS }

        public record Line(@ToolParam(description = "catalogue number, e.g. SKU-1042") String sku,
                           @ToolParam(description = "how many, at least 1") int quantity) {
            public Line {
                if (quantity < 1) {
                    throw new IllegalArgumentException("quantity must be at least 1");
                }
            }
        }

        public record Confirmation(String orderId, LocalDate deliveryDate) {
        }

        @Tool(description = "Places an order for the current customer and returns its id and delivery date.",
              requiresApproval = true)
        public Confirmation placeOrder(List<Line> lines,
                                       Shipping shipping,
                                       @ToolParam(description = "note for the courier, if any") Optional<String> note,
                                       Map<String, String> giftTags,
                                       ToolContext context) {
            return new Confirmation(context.idempotencyKey(), LocalDate.of(2026, 2, 3));
        }

        @Tool(description = "Tells how many items of a product are in stock.")
        public CompletionStage<Integer> stockLevel(@ToolParam(description = "catalogue number") String sku) {
            return CompletableFuture.completedFuture(17);
        }
    }

    @Test
    void theReadmeSchemaIsTheGeneratedOne() {
        // When
        List<ToolHandle> tools = ToolScanner.scan(new ShopTools());

        // Then
        assertThat(tools).extracting(ToolHandle::name).containsExactly("place_order", "stock_level");
        assertThat(tools.get(0).parametersSchema()).isEqualTo(Tools.json("""
                {
                  "type": "object",
                  "properties": {
                    "lines": {"type": "array", "items": {
                      "type": "object",
                      "properties": {
                        "sku": {"type": "string", "description": "catalogue number, e.g. SKU-1042"},
                        "quantity": {"type": "integer", "description": "how many, at least 1"}},
                      "required": ["sku", "quantity"], "additionalProperties": false}},
                    "shipping": {"type": "string", "enum": ["STANDARD", "EXPRESS"]},
                    "note": {"type": ["string", "null"], "description": "note for the courier, if any"},
                    "giftTags": {"type": "array", "items": {
                      "type": "object",
                      "properties": {"key": {"type": "string"}, "value": {"type": "string"}},
                      "required": ["key", "value"], "additionalProperties": false}}
                  },
                  "required": ["lines", "shipping", "note", "giftTags"],
                  "additionalProperties": false
                }"""));
    }

    @Test
    void theReadmeCallReturnsTheStockLevel() {
        // Given
        ToolHandle stockLevel = ToolScanner.scan(new ShopTools()).get(1);

        // When
        String result = stockLevel.invokeJson("{\"sku\":\"SKU-1042\"}", new TestContext()).toCompletableFuture().join();

        // Then
        assertThat(result).isEqualTo("17");
    }

    @Test
    void aRecordRejectingAValueTellsTheModelWhy() {
        // Given
        ToolHandle placeOrder = ToolScanner.scan(new ShopTools()).get(0);

        // When
        CompletableFuture<String> result = placeOrder.invokeJson("""
                {"lines":[{"sku":"SKU-1","quantity":0}],"shipping":"EXPRESS","note":null,"giftTags":[]}""",
                new TestContext()).toCompletableFuture();

        // Then
        assertThat(result.exceptionNow()).isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("'lines[0]' was rejected: quantity must be at least 1");
    }

    @Test
    void theResultIsJsonWithAnIsoDate() {
        // Given
        ToolHandle placeOrder = ToolScanner.scan(new ShopTools()).get(0);

        // When
        String result = placeOrder.invokeJson("""
                {"lines":[{"sku":"SKU-1","quantity":2}],"shipping":"EXPRESS","note":null,
                 "giftTags":[{"key":"SKU-1","value":"Happy birthday"}]}""", new TestContext()).toCompletableFuture().join();

        // Then
        assertThat(result).isEqualTo("{\"orderId\":\"run-1:call-1\",\"deliveryDate\":\"2026-02-03\"}");
    }
}
