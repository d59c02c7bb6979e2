package dev.berth.runtime.memory;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;

/**
 * Counts tokens with the model family's real BPE encoding (jtokkit): {@code o200k_base} for
 * the GPT-4o, 4.1, 5 and o-series families, {@code cl100k_base} for GPT-4, 3.5 and the
 * embedding models. A logical model name that names no family (a deployment alias) is counted
 * with {@code o200k_base}, today's default.
 *
 * <p>Thread safe; the encodings are loaded once per process.
 */
public final class TokenCounter {
    /** Per-message framing of the chat format (role, separators), as OpenAI documents it. */
    public static final int MESSAGE_OVERHEAD = 4;
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private final Encoding encoding;

    private TokenCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    /**
     * Loads both encodings (about a second of CPU). Call it at start, off the event loop: the
     * first count would otherwise load them on whatever thread asks, an event loop included.
     */
    public static void warmUp() {
        REGISTRY.getEncoding(EncodingType.O200K_BASE);
        REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    }

    public static TokenCounter forModel(String model) {
        String name = model == null ? "" : model.toLowerCase(Locale.ROOT);
        boolean older = name.startsWith("gpt-4-") || name.equals("gpt-4") || name.startsWith("gpt-35")
                || name.startsWith("gpt-3.5") || name.startsWith("text-embedding");
        return new TokenCounter(REGISTRY.getEncoding(older ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE));
    }

    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /** Tokens of one chat message with its framing. */
    public int message(String text) {
        return count(text) + MESSAGE_OVERHEAD;
    }
}
