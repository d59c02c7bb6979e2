package dev.berth.runtime.memory;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.berth.model.UsageEstimator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts tokens with the model family's real BPE encoding (jtokkit): {@code o200k_base} for
 * the GPT-4o, 4.1, 5 and o-series families, {@code cl100k_base} for GPT-4, 3.5 and the
 * embedding models. A logical model name that names no family (a deployment alias) is counted
 * with {@code o200k_base}, today's default. The choice and the loaded encodings are model-client's
 * ({@link UsageEstimator}), which counts a stream's usage when a provider reports none.
 *
 * <p>Counts are remembered per text: every step of a run counts its whole context window
 * again, and the events in it are immutable, so the same texts come back step after step
 * (the BPE encoding was 13% of the CPU of a turn before). The memo holds texts of at most
 * {@value #MEMO_MAX_CHARS} characters and is emptied when it holds {@value #MEMO_BUDGET_CHARS}
 * characters in all, so it stays a few megabytes at most.
 *
 * <p>Thread safe; the encodings are loaded once per process.
 */
public final class TokenCounter {
    /** Per-message framing of the chat format (role, separators), as OpenAI documents it. */
    public static final int MESSAGE_OVERHEAD = UsageEstimator.MESSAGE_OVERHEAD;
    static final int MEMO_MAX_CHARS = 16_384;
    static final long MEMO_BUDGET_CHARS = 4_000_000;
    /** Shorter texts are counted faster than they are looked up. */
    private static final int MEMO_MIN_CHARS = 24;
    private static final TokenCounter O200K = new TokenCounter(EncodingType.O200K_BASE);
    private static final TokenCounter CL100K = new TokenCounter(EncodingType.CL100K_BASE);

    private final EncodingType type;
    private volatile Encoding encoding;
    private final Map<String, Integer> memo = new ConcurrentHashMap<>();
    private final AtomicLong memoChars = new AtomicLong();

    private TokenCounter(EncodingType type) {
        this.type = type;
    }

    /**
     * Loads both encodings (about a second of CPU). Call it at start, off the event loop: the
     * first count would otherwise load them on whatever thread asks, an event loop included.
     */
    public static void warmUp() {
        UsageEstimator.warmUp();
    }

    public static TokenCounter forModel(String model) {
        return UsageEstimator.encodingFor(model) == EncodingType.CL100K_BASE ? CL100K : O200K;
    }

    public int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        if (text.length() < MEMO_MIN_CHARS || text.length() > MEMO_MAX_CHARS) {
            return encoding().countTokensOrdinary(text);
        }
        Integer known = memo.get(text);
        if (known != null) {
            return known;
        }
        int tokens = encoding().countTokensOrdinary(text);
        if (memoChars.addAndGet(text.length()) > MEMO_BUDGET_CHARS) {
            // Simpler than an LRU and as good here: the texts of live runs come back within a step.
            memo.clear();
            memoChars.set(text.length());
        }
        memo.put(text, tokens);
        return tokens;
    }

    /**
     * The characters {@link #count} would have to encode for this text: none for a short or
     * remembered text. Lets a caller judge whether counting is worth moving off an event loop.
     */
    public int uncountedChars(String text) {
        if (text == null || text.length() < MEMO_MIN_CHARS) {
            return 0;
        }
        return text.length() <= MEMO_MAX_CHARS && memo.containsKey(text) ? 0 : text.length();
    }

    /** Loaded on first use (see {@link #warmUp()}); the registry loads each encoding once. */
    private Encoding encoding() {
        Encoding loaded = encoding;
        if (loaded == null) {
            loaded = UsageEstimator.encoding(type);
            encoding = loaded;
        }
        return loaded;
    }

    /** Tokens of one chat message with its framing. */
    public int message(String text) {
        return count(text) + MESSAGE_OVERHEAD;
    }
}
