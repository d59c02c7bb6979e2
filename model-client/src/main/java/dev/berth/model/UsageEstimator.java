package dev.berth.model;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;

/**
 * Counts a chat call's tokens locally when the provider reported none (a stream without
 * {@code stream_options.include_usage}), with the model family's BPE encoding (jtokkit):
 * {@code o200k_base} for GPT-4o, 4.1, 5 and the o-series, {@code cl100k_base} for GPT-4, 3.5 and the
 * embedding models; a name that names no family (a deployment alias) is counted with {@code o200k_base}.
 * The result is marked {@link Usage#estimated()}. It is close to, not equal to, what the provider bills:
 * the chat format's framing is counted as OpenAI documents it (4 tokens a message, 3 to prime the answer),
 * tool definitions as their JSON text.
 *
 * <p>The one home of the encoding choice and registry in Berth (runtime-core's token counter uses them too),
 * so each encoding is loaded once per process. Thread safe. Loading an encoding costs about a second of CPU:
 * call {@link #warmUp()} at start, off the event loop.
 */
public final class UsageEstimator {
    /** Per-message framing of the chat format (role, separators), as OpenAI documents it. */
    public static final int MESSAGE_OVERHEAD = 4;
    /** Every answer is primed with {@code <|start|>assistant<|message|>}. */
    private static final int REPLY_PRIMING = 3;
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private UsageEstimator() {
    }

    /** Loads both encodings. */
    public static void warmUp() {
        REGISTRY.getEncoding(EncodingType.O200K_BASE);
        REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    }

    /** The encoding family of a model name. */
    public static EncodingType encodingFor(String model) {
        String name = model == null ? "" : model.toLowerCase(Locale.ROOT);
        boolean older = name.startsWith("gpt-4-") || name.equals("gpt-4") || name.startsWith("gpt-35")
                || name.startsWith("gpt-3.5") || name.startsWith("text-embedding");
        return older ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE;
    }

    /** The encoding, loaded once per process. */
    public static Encoding encoding(EncodingType type) {
        return REGISTRY.getEncoding(type);
    }

    /** The estimated usage of a chat call: its request as prompt, the answer's text and tool calls as output. */
    public static Usage chat(ChatRequest request, ChatResponse answer) {
        Encoding enc = encoding(encodingFor(request.model()));
        long input = REPLY_PRIMING;
        for (ChatMessage m : request.messages()) {
            input += MESSAGE_OVERHEAD + count(enc, text(m));
        }
        for (ToolDefinition tool : request.tools()) {
            input += count(enc, tool.name()) + count(enc, tool.description()) + count(enc, tool.parameters().toString());
        }
        long output = count(enc, answer.content());
        for (ToolCall call : answer.toolCalls()) {
            output += count(enc, call.name()) + count(enc, call.arguments());
        }
        return new Usage(input, output, 0, 0, true);
    }

    private static String text(ChatMessage message) {
        return switch (message) {
            case ChatMessage.System s -> s.content();
            case ChatMessage.User u -> u.content();
            case ChatMessage.Tool t -> t.content();
            case ChatMessage.Assistant a -> {
                StringBuilder sb = new StringBuilder(a.content() == null ? "" : a.content());
                a.toolCalls().forEach(c -> sb.append(c.name()).append(c.arguments()));
                yield sb.toString();
            }
        };
    }

    private static int count(Encoding enc, String text) {
        return text == null || text.isEmpty() ? 0 : enc.countTokensOrdinary(text);
    }
}
