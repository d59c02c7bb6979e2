package dev.berth.runtime.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCounterTest {
    private final TokenCounter counter = TokenCounter.forModel("gpt-4o");

    @Test
    void aRememberedCountIsTheCountedOne() {
        String text = "The quick brown fox jumps over the lazy dog, again and again. ".repeat(20);

        int first = counter.count(text);
        int again = counter.count(new String(text)); // an equal text, another object, as each read of an event gives

        assertThat(first).isGreaterThan(200).isEqualTo(again);
    }

    @Test
    void textsOfEverySizeAreCounted() {
        assertThat(counter.count(null)).isZero();
        assertThat(counter.count("")).isZero();
        assertThat(counter.count("hello")).isEqualTo(1);
        String huge = "word ".repeat(TokenCounter.MEMO_MAX_CHARS); // too long to be remembered
        assertThat(counter.count(huge)).isEqualTo(counter.count(huge)).isGreaterThan(TokenCounter.MEMO_MAX_CHARS / 2);
    }

    @Test
    void theMemoStaysCorrectWhenItOverflows() {
        String text = "a sentence worth remembering, for the memo";
        int before = counter.count(text);
        // More than the memo's budget of characters in distinct texts: the memo is emptied on the way.
        String filler = "some filler words ".repeat(TokenCounter.MEMO_MAX_CHARS / 20);
        for (long chars = 0; chars <= TokenCounter.MEMO_BUDGET_CHARS; chars += filler.length()) {
            counter.count(filler + chars);
        }
        assertThat(counter.count(text)).isEqualTo(before);
    }

    @Test
    void modelFamiliesShareTheirEncoding() {
        assertThat(TokenCounter.forModel("gpt-4o")).isSameAs(TokenCounter.forModel("gpt-5-mini"));
        assertThat(TokenCounter.forModel("gpt-4")).isSameAs(TokenCounter.forModel("gpt-35-turbo"));
        assertThat(TokenCounter.forModel("gpt-4")).isNotSameAs(TokenCounter.forModel("gpt-4o"));
    }
}
