package dev.berth.testsupport.oidc;

import java.util.Iterator;
import java.util.Map;

/** Just enough JSON writing for tokens and discovery documents (test-support has no JSON library). */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String text -> string(out, text);
            case Number number -> out.append(number);
            case Boolean bool -> out.append(bool);
            case Map<?, ?> map -> {
                out.append('{');
                Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
                while (entries.hasNext()) {
                    Map.Entry<?, ?> entry = entries.next();
                    string(out, entry.getKey().toString());
                    out.append(':');
                    append(out, entry.getValue());
                    if (entries.hasNext()) {
                        out.append(',');
                    }
                }
                out.append('}');
            }
            case Iterable<?> list -> {
                out.append('[');
                Iterator<?> items = list.iterator();
                while (items.hasNext()) {
                    append(out, items.next());
                    if (items.hasNext()) {
                        out.append(',');
                    }
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("not JSON: " + value.getClass());
        }
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
