package dev.berth.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.tool.internal.ToolNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The names the model sees for tools. */
class ToolNamingTest {

    public static class Named {
        @Tool(description = "b")
        public void getWeather() {
        }

        @Tool(name = "a-custom_Name-1", description = "a")
        public void custom() {
        }

        @Tool(description = "c")
        public static void zeta() {
        }
    }

    public static class Duplicates {
        @Tool(description = "one")
        public void sendMail() {
        }

        @Tool(name = "send_mail", description = "two")
        public void sendMessage() {
        }
    }

    public static class Overloaded {
        @Tool(description = "one")
        public void find(String text) {
        }

        @Tool(description = "two")
        public void find(int id) {
        }
    }

    public static class BadName {
        @Tool(name = "send mail!", description = "d")
        public void send() {
        }
    }

    public static class LongName {
        @Tool(description = "d")
        public void aMethodNameThatIsFarTooLongForAnyModelProviderToAcceptAsTheNameOfAFunction() {
        }
    }

    @ParameterizedTest
    @CsvSource({
            "getWeather, get_weather",
            "fetchURLContent, fetch_url_content",
            "sendSMS, send_sms",
            "v2Search, v2_search",
            "search2Files, search2_files",
            "already_snake, already_snake",
            "X, x"})
    void methodNamesBecomeSnakeCase(String javaName, String toolName) {
        // When
        String name = ToolNames.snakeCase(javaName);

        // Then
        assertThat(name).isEqualTo(toolName);
    }

    @Test
    void toolsAreNamedAndOrderedByName() {
        // When
        List<ToolHandle> tools = ToolScanner.scan(new Named());

        // Then
        assertThat(tools).extracting(ToolHandle::name).containsExactly("a-custom_Name-1", "get_weather", "zeta");
    }

    @Test
    void twoToolsWithTheSameNameAreRefused() {
        // When
        Throwable error = catchThrowable(() -> ToolScanner.scan(new Duplicates()));

        // Then
        assertThat(error)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two @Tool methods are named 'send_mail'; set @Tool(name = ...) on one of them");
    }

    @Test
    void overloadsNeedDistinctNames() {
        // When
        Throwable error = catchThrowable(() -> ToolScanner.scan(new Overloaded()));

        // Then
        assertThat(error)
                .hasMessageContaining("two @Tool methods are named 'find'");
    }

    @Test
    void aNameWithInvalidCharactersIsRefused() {
        // When
        Throwable error = catchThrowable(() -> ToolScanner.scan(new BadName()));

        // Then
        assertThat(error)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BadName#send: tool name 'send mail!' is invalid; it must match [a-zA-Z0-9_-]{1,64}");
    }

    @Test
    void aNameLongerThan64CharactersIsRefused() {
        // When
        Throwable error = catchThrowable(() -> ToolScanner.scan(new LongName()));

        // Then
        assertThat(error)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is invalid; it must match");
    }
}
