package dev.berth.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test helpers: find a scanned tool, call it and wait for its outcome. */
final class Tools {

    static final ObjectMapper JSON = new ObjectMapper();

    private Tools() {
    }

    static ToolHandle tool(Object toolObject, String name) {
        return ToolScanner.scan(toolObject).stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no tool " + name));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The result text; fails the test if the call failed. */
    static String call(ToolHandle tool, String arguments) {
        return call(tool, arguments, new TestContext());
    }

    static String call(ToolHandle tool, String arguments, ToolContext context) {
        try {
            return tool.invoke(json(arguments), context).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("tool failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** What the stage failed with; fails the test if the call succeeded. */
    static Throwable failure(ToolHandle tool, String arguments) {
        CompletableFuture<String> future = tool.invoke(json(arguments), new TestContext()).toCompletableFuture();
        try {
            String result = future.get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + result);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }
}
