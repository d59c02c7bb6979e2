package dev.berth.deploy.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Unicode check in front of the API's JSON parser: what passes unchanged, what is refused. */
class UnicodeCheckingInputStreamTest {

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\":\"plain\"}", "{\"t\":\"\\ud83d\\ude00 pair\"}", "{\"t\":\"😀 𝔘 é ا\"}",
            "{\"t\":\"\\\\ud800 is an escaped backslash\"}", "{\"t\":\"\\u00e9\\u0000\\uffff\"}", "[\"\\uDBFF\\uDFFF\"]",
            "{\"\\ud83d\\ude00\":1}", "{\"t\":\"x\\\\\"}"})
    void wellFormedTextPassesUnchanged(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThat(readAll(bytes)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"t\":\"\\ud800\"}", "{\"t\":\"x\\udfffy\"}", "{\"t\":\"\\ud83d\"}",
            "{\"t\":\"\\ude00\\ud83d\"}", "{\"t\":\"\\ud800\\ud800\"}", "{\"t\":\"\\ud800\\n\"}", "{\"\\udc00\":1}",
            "{\"t\":\"\\ud800x\"}"})
    void loneSurrogateEscapesAreRefused(String json) {
        assertThatThrownBy(() -> readAll(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonParseException.class).hasMessageContaining("lone surrogate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"C080", "E08080", "EDA080", "EDBFBF", "F08080", "F4908080", "F5", "FF", "80", "C3", "E282",
            "C328"})
    void malformedUtf8IsRefused(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] body = new byte[bad.length + 9];
        System.arraycopy("{\"t\":\"".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 6);
        System.arraycopy(bad, 0, body, 6, bad.length);
        System.arraycopy("\"}x".getBytes(StandardCharsets.US_ASCII), 0, body, 6 + bad.length, 3);
        byte[] cut = java.util.Arrays.copyOf(body, body.length - 1);
        assertThatThrownBy(() -> readAll(cut)).isInstanceOf(JsonParseException.class)
                .hasMessageContaining("malformed UTF-8");
    }

    private static byte[] readAll(byte[] bytes) throws IOException {
        try (InputStream in = new UnicodeCheckingInputStream(new ByteArrayInputStream(bytes))) {
            // Read in small pieces and single bytes, as a parser may.
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[3];
            for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0;) {
                out.write(buffer, 0, n);
                int single = in.read();
                if (single < 0) {
                    break;
                }
                out.write(single);
            }
            return out.toByteArray();
        }
    }
}
