package dev.berth.tool.internal;

import java.util.regex.Pattern;

/** Tool naming rules shared by the OpenAI and MCP tool definitions. */
public final class ToolNames {

    /** What OpenAI accepts for a function name; MCP clients accept it as well. */
    public static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private ToolNames() {
    }

    /**
     * {@code getWeather} becomes {@code get_weather}, {@code fetchURLContent} becomes
     * {@code fetch_url_content}: a word starts at an upper-case letter after a lower-case
     * letter or digit, or at the last capital of an acronym followed by a lower-case letter.
     */
    public static String snakeCase(String javaName) {
        StringBuilder out = new StringBuilder(javaName.length() + 8);
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && startsWord(javaName, i)) {
                out.append('_');
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    private static boolean startsWord(String name, int i) {
        char previous = name.charAt(i - 1);
        if (Character.isLowerCase(previous) || Character.isDigit(previous)) {
            return true;
        }
        boolean nextIsLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        return Character.isUpperCase(previous) && nextIsLower;
    }

    /** Fails with a message naming the method when the name is not accepted by model APIs. */
    public static String requireValid(String name, String where) {
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": tool name '" + name + "' is invalid; it must match "
                    + VALID.pattern() + " (letters, digits, '_' and '-', at most 64 characters)");
        }
        return name;
    }
}
