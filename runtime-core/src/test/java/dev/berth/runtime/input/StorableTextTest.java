package dev.berth.runtime.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.error.ValidationException;
import dev.berth.runtime.internal.DocumentJson;
import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void ordinaryTextIncludingPairedSurrogatesIsStorable() {
        assertThat(StorableText.problem("héllo wörld \uD83D\uDE00 \t\n")).isNull();
        assertThat(StorableText.problem("")).isNull();
        assertThat(StorableText.problem(null)).isNull();
    }

    @Test
    void nulAndUnpairedSurrogatesAreNot() {
        assertThat(StorableText.problem("a\u0000b")).contains("NUL");
        assertThat(StorableText.problem("a\uD800")).contains("surrogate");
        assertThat(StorableText.problem("\uDC00a")).contains("surrogate");
        assertThat(StorableText.problem("\uD800\uD800\uDC00")).contains("surrogate");
    }

    @Test
    void aJsonDocumentNamesThePathOfItsFirstOffence() {
        ObjectNode body = DocumentJson.object();
        body.putObject("metadata").putArray("tags").add("ok").add("bad\u0000");
        assertThatThrownBy(() -> StorableText.checkJson("", body)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.fieldErrors()).containsKey("metadata.tags[1]"));
    }

    @Test
    void keysAreCheckedAndShownEscaped() {
        ObjectNode body = DocumentJson.object();
        body.putObject("metadata").put("k\u0000", 1);
        assertThatThrownBy(() -> StorableText.checkJson("", body)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.fieldErrors()).containsKey("metadata.k\\u0000"));
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        ObjectNode body = DocumentJson.object();
        ObjectNode node = body;
        for (int depth = 0; depth < InputLimits.MAX_JSON_DEPTH - 1; depth++) {
            node = node.putObject("n");
        }
        StorableText.checkJson("", body); // exactly at the limit
        node.putObject("n");
        assertThatThrownBy(() -> StorableText.checkJson("", body)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("nested deeper than " + InputLimits.MAX_JSON_DEPTH);
    }

    @Test
    void infiniteNumbersAreRefused() {
        ObjectNode body = DocumentJson.object();
        body.putObject("metadata").put("x", Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> StorableText.checkJson("", body)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.fieldErrors()).containsKey("metadata.x"));
    }
}
