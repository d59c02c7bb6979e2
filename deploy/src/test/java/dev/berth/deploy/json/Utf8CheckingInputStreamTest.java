package dev.berth.deploy.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The UTF-8 check in front of the API's JSON parser: what passes unchanged, what is refused. */
class Utf8CheckingInputStreamTest {

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\":\"plain\"}", "{\"t\":\"😀 𝔘 é ا \\ud800 escapes are not bytes\"}",
            "{\"t\":\"\u07ff\u0800\uffff\"}", "[\"\uDBFF\uDFFF\"]"})
    void wellFormedUtf8PassesUnchanged(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThat(readAll(bytes)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C080", "C181", "E08080", "E09FBF", "EDA080", "EDBFBF", "F08080", "F08FBFBF", "F4908080",
            "F5", "FF", "80", "BF", "C3", "E282", "C328", "F0908028"})
    void malformedUtf8IsRefused(String hex) {
        byte[] bad = HexFormat.of().parseHex(hex);
        byte[] body = new byte[bad.length + 8];
        System.arraycopy("{\"t\":\"".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 6);
        System.arraycopy(bad, 0, body, 6, bad.length);
        System.arraycopy("\"}".getBytes(StandardCharsets.US_ASCII), 0, body, 6 + bad.length, 2);
        assertThatThrownBy(() -> readAll(body)).isInstanceOf(JsonParseException.class)
                .hasMessageContaining("malformed UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"C3", "E282", "F09080"})
    void aBodyEndingInsideACharacterIsRefused(String hex) {
        byte[] start = "[\"".getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(start, start.length + hex.length() / 2);
        System.arraycopy(HexFormat.of().parseHex(hex), 0, body, start.length, hex.length() / 2);
        assertThatThrownBy(() -> readAll(body)).isInstanceOf(JsonParseException.class)
                .hasMessageContaining("ends inside a character");
    }

    private static byte[] readAll(byte[] bytes) throws IOException {
        try (InputStream in = new Utf8CheckingInputStream(new ByteArrayInputStream(bytes))) {
            // Read in small pieces and single bytes, as a parser may.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
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
